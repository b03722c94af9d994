"""The one argument parser of the plain-Python commands (``gongkai check``, ``deadline``,
``calendar``, ``ledger``, ``report``, ``scan``): argparse, with its complaint in Chinese after
the usage line, ``<命令>：参数错误：…``, and exit status 2."""

from __future__ import annotations

import argparse
import sys


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：参数错误：{message}\n")
