"""The hashed lock files that ./scripts/setup installs from (requirements.lock for the site,
requirements-test.lock with the test tools) hold every package pyproject.toml pins, at the
pinned version, each with its hashes: a pin changed without renewing the locks fails here."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for line in requirements:
        name, version = re.fullmatch(r"([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?==(\S+)", line).groups()
        found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def locked(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    entries = re.findall(
        r"^([A-Za-z0-9_.-]+)==(\S+) \\\n((?:\s+--hash=sha256:[0-9a-f]{64}.*\n)+)", text, re.M
    )
    assert entries, path
    names = [line for line in text.splitlines() if re.match(r"^[A-Za-z0-9]", line)]
    assert len(names) == len(entries), "every locked package carries its hashes"
    return {re.sub(r"[-_.]+", "-", n).lower(): v for n, v, _hashes in entries}


def test_the_locks_hold_every_pin_of_pyproject_at_its_version():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = pins(project["dependencies"])
    test = pins(project["optional-dependencies"]["test"])
    site, full = locked(ROOT / "requirements.lock"), locked(ROOT / "requirements-test.lock")
    for name, version in runtime.items():
        assert site.get(name) == version, (name, version, site.get(name))
        assert full.get(name) == version, (name, version, full.get(name))
    for name, version in test.items():
        assert full.get(name) == version, (name, version, full.get(name))
        assert name not in site or name in runtime, f"{name}: a test tool in the site's lock"


def test_setup_installs_from_the_locks_with_hashes():
    setup = (ROOT / "scripts" / "setup").read_text(encoding="utf-8")
    assert "--require-hashes -r" in setup and "requirements-test.lock" in setup
