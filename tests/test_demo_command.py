"""``gongkai demo`` on a new data folder, as a user runs it after installing."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import subprocess_env


def gongkai() -> str:
    return shutil.which("gongkai") or str(Path(sys.executable).with_name("gongkai"))


def test_the_demo_loads_into_a_new_data_folder_and_again_changes_nothing(tmp_path):
    env = subprocess_env(tmp_path)
    first = subprocess.run(
        [gongkai(), "demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert first.returncode == 0, first.stderr
    assert "新建机关 10 个" in first.stdout and "Traceback" not in first.stderr
    again = subprocess.run(
        [gongkai(), "demo"], env=env, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0 and "新建机关 0 个、人员 0 名" in again.stdout
