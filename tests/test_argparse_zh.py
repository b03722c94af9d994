"""Every gongkai command complains in Chinese about its arguments, plain commands and
management commands alike (gongkai.argparse_zh), with exit status 2."""

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

GONGKAI = str(Path(sys.executable).with_name("gongkai"))


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["scan"], "gongkai scan：参数错误：缺少必需的参数：FILE"),
        (["scan", "--format", "zzz", "x"], "gongkai scan：参数错误：不认识的参数：--format"),
        (["deadline", "--received", "2026-13-01"], "gongkai deadline：参数错误：--received："),
        (["ledger"], "gongkai ledger：参数错误：缺少必需的参数：命令"),
        (["import-items"], "参数错误：缺少必需的参数：file, --agency, --user"),
        (["calendar", "add"], "gongkai calendar add：参数错误：缺少必需的参数：file"),
    ],
)
def test_a_wrong_argument_is_told_in_chinese(tmp_path, argv, said):
    done = subprocess.run(
        [GONGKAI, *argv], env=subprocess_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert said in done.stderr and "error:" not in done.stderr and "用法：" in done.stderr


def test_the_help_is_headed_in_chinese(tmp_path):
    done = subprocess.run(
        [GONGKAI, "check", "--help"], env=subprocess_env(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0
    assert done.stdout.startswith("用法：gongkai check") and "选项:" in done.stdout
    assert "positional arguments" not in done.stdout and "显示这段说明并退出" in done.stdout
