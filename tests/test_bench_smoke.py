"""Every benchmark answers ``--help`` and runs once with ``--quick`` (small counts), so none can
break unnoticed between the times someone measures. The figures are not checked here (bench/
README.md: they are read, not asserted), but the benchmarks that check their results against a
second computation (checker, report) fail on a mismatch, and that is asserted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# Support modules of bench/pages.py and the shared command line, not benchmarks.
NOT_BENCHMARKS = {"__init__.py", "_args.py", "pages_settings.py", "pages_urls.py"}
SCRIPTS = sorted(p.name for p in BENCH.glob("*.py") if p.name not in NOT_BENCHMARKS)


def run(script: str, *args: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # a throw-away SQLite
    env["GONGKAI_DATA_DIR"] = str(tmp_path)
    return subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_benchmarks_are_all_listed_in_the_readme():
    readme = (BENCH / "README.md").read_text(encoding="utf-8")
    assert SCRIPTS and all(f"bench/{name}" in readme for name in SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_explains_its_command_line(script, tmp_path):
    done = run(script, "--help", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "usage" in done.stdout and "--quick" in done.stdout


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_runs_quickly_end_to_end(script, tmp_path):
    if script == "pages.py" and not shutil.which("wrk"):
        message = "bench/pages.py drives the server with wrk, which is not installed here"
        if os.environ.get("GONGKAI_REQUIRE_SERVICES"):
            pytest.fail(message + " (./scripts/setup test installs it)")
        pytest.skip(message)
    done = run(script, "--quick", tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.stdout.strip(), "a benchmark prints its figures"
