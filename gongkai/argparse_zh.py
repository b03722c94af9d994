"""The one argument parser of the plain-Python commands (``gongkai check``, ``deadline``,
``calendar``, ``ledger``, ``report``, ``scan``): argparse in Chinese — the help's headings, and
the complaint after the usage line, ``<命令>：参数错误：…``, with exit status 2."""

from __future__ import annotations

import argparse
import re
import sys

# argparse's own complaints (Python 3.11), as the user reads them.
_MESSAGES = [
    (r"the following arguments are required: (.*)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.*)", r"不认识的参数：\1"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"\1 的取值 \2 无效，可选：\3"),
    (r"argument (.*?): expected one argument", r"\1 后面需要一个值"),
    (r"argument (.*?): expected at least one argument", r"\1 后面至少需要一个值"),
    (r"argument (.*?): invalid (\w+) value: (.*)", r"\1 的取值 \3 无效（应为 \2）"),
    (r"argument (.*?): not allowed with argument (.*)", r"\1 不能与 \2 同时使用"),
    (r"argument (.*?): ignored explicit argument (.*)", r"\1 不接受取值 \2"),
    (r"one of the arguments (.*) is required", r"\1 须至少给出一个"),
    # A type's own message (already in Chinese): argument --received: '…' 不是 YYYY-MM-DD …
    (r"argument (.*?): (.*)", r"\1：\2"),
]


def chinese(message: str) -> str:
    """argparse's complaint in Chinese; one this table does not know stays as it is."""
    for pattern, replacement in _MESSAGES:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, replacement, message, flags=re.S)
    return message


def _complain(parser: argparse.ArgumentParser, message: str):
    """The usage line, then ``<命令>：参数错误：…`` in Chinese, exit status 2."""
    parser.print_usage(sys.stderr)
    parser.exit(2, f"{parser.prog}：参数错误：{chinese(message)}\n")


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class ArgumentParser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示这段说明并退出")

    def error(self, message: str):
        _complain(self, message)


def in_chinese(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """A parser made elsewhere (a Django management command's) with the same Chinese headings
    and complaints; its subparsers too."""
    parser._positionals.title = "参数"
    parser._optionals.title = "选项"
    parser.formatter_class = _Formatter
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = "显示这段说明并退出"

    parser.error = lambda message: _complain(parser, message)  # type: ignore[method-assign]
    return parser
