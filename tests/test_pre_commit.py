"""The pre-commit hooks of docs/development.md: a valid configuration whose hooks are the tools
of .venv that ./scripts/test runs (so a commit checks with the versions CI uses)."""

import shlex
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_the_configuration_is_valid_and_its_hooks_exist():
    config = ROOT / ".pre-commit-config.yaml"
    done = subprocess.run(
        [str(BIN / "pre-commit"), "validate-config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    hooks = [h for repo in yaml.safe_load(config.read_text())["repos"] for h in repo["hooks"]]
    assert {h["id"] for h in hooks} == {"ruff-check", "ruff-format", "lint-imports"}
    for hook in hooks:
        tool = shlex.split(hook["entry"])[0]
        assert tool.startswith(".venv/bin/"), hook
        assert (BIN / Path(tool).name).exists(), tool
    scripts = (ROOT / "scripts" / "test").read_text()
    assert "ruff check" in scripts and "lint-imports" in scripts
