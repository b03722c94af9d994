"""The repository explains itself and needs nothing outside the clone: no file cites a document
kept elsewhere, every document the code and the docs point to is in the repository, every
finding code the checks emit is explained in docs/annual-report-data.md, and the tests read no
path outside the clone except an explicitly optional one, which skips when unset."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"

# Documents that lived outside the repository before docs/ held the project's own account of
# them. Written in pieces so that this file does not name them itself.
FOREIGN = [
    ".." + "/shared",
    "/work" + "/shared",
    "shared" + "/spec",
    "regulation" + ".md",
    "dead" + "lines.md",
    "prior-art" + ".md",
    "engineering" + ".md",
    "corpus " + "003",
]
FOREIGN_RE = re.compile("|".join(re.escape(f) for f in FOREIGN))


def project_files() -> list[Path]:
    """Tracked files and new ones not ignored: what a clone holds once the work is committed."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the files of the project cannot be listed")
    paths = [ROOT / name for name in listed.decode().split("\0") if name]
    return [p for p in paths if p.is_file()]


def text_of(path: Path) -> str | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if b"\0" in data[:8192]:
        return None  # a binary file (a font, a workbook, an image)
    return data.decode("utf-8", errors="replace")


def test_no_file_cites_a_document_outside_the_repository():
    found = []
    for path in project_files():
        text = text_of(path)
        if text is None:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if FOREIGN_RE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:120]}")
    assert not found, "cite docs/… or state the fact instead:\n" + "\n".join(found)


# --- documents the repository points to are in it --------------------------------------

MARKDOWN_LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")
CITED_DOC = re.compile(r"(?<![\w/.-])(docs/[\w./-]+?\.md)\b")


def _missing_target(target: Path) -> bool:
    law = ROOT / "docs" / "law"
    if target.is_relative_to(law) and not (law / "README.md").exists():
        # docs/law/ is being written file by file; once its index is in, every page it and
        # the code cite must be there.
        return False
    return not target.exists()


def test_every_link_in_the_docs_leads_to_a_file_of_the_repository():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    broken = []
    for page in pages:
        for target in MARKDOWN_LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto:
            resolved = (page.parent / target).resolve()
            if not resolved.is_relative_to(ROOT) or _missing_target(resolved):
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)


def test_every_document_the_code_cites_is_in_the_repository():
    missing = set()
    for path in project_files():
        if path.suffix not in {".py", ".html", ".txt", ".service", ".timer", ".env", ".conf"}:
            continue
        text = text_of(path) or ""
        for cited in CITED_DOC.findall(text):
            if _missing_target(ROOT / cited):
                missing.add(f"{path.relative_to(ROOT)}: {cited}")
    assert not missing, "\n".join(sorted(missing))


# --- every finding code is documented ----------------------------------------------------


def emitted_codes() -> set[tuple[str, str]]:
    """(code, severity) of every ``Finding("CODE", "severity", …)`` made in gongkai/."""
    pairs = set()
    for path in (ROOT / "gongkai").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
            if name != "Finding" or len(node.args) < 2:
                continue
            code, severity = node.args[0], node.args[1]
            if (
                isinstance(code, ast.Constant)
                and isinstance(code.value, str)
                and re.fullmatch(r"[A-Z][A-Z_]+", code.value)
            ):
                level = severity.value if isinstance(severity, ast.Constant) else None
                pairs.add((code.value, level))
    return pairs


def documented_codes() -> dict[str, str]:
    text = (ROOT / "docs" / "annual-report-data.md").read_text(encoding="utf-8")
    section = text.split("## 检查结果", 1)[1]
    return dict(re.findall(r"^\| `([A-Z_]+)` \| (\w+) \|", section, flags=re.M))


def test_every_finding_code_is_explained_in_the_docs():
    emitted = emitted_codes()
    documented = documented_codes()
    assert {code for code, _ in emitted} >= {"BALANCE_MISMATCH", "UNREADABLE", "MISSING_SECTION"}
    missing = sorted(code for code, _ in emitted if code not in documented)
    assert not missing, f"codes emitted but not in docs/annual-report-data.md: {missing}"
    wrong = sorted(
        (code, level, documented[code])
        for code, level in emitted
        if level is not None and documented[code] != level
    )
    assert not wrong, f"(code, severity in code, severity in the docs): {wrong}"
    stale = sorted(set(documented) - {code for code, _ in emitted})
    assert not stale, f"codes in docs/annual-report-data.md that nothing emits: {stale}"


def test_the_checker_names_every_code_it_can_show():
    from gongkai.checker import summary

    assert set(summary.CODE_LABELS) == set(documented_codes())


# --- the tests need nothing outside the clone -------------------------------------------

# The environment variables the tests read, each with what it is for. One that names a path
# outside the clone must be optional: unset, the tests that need it skip.
TEST_ENVIRONMENT = {
    "DATABASE_URL": "the database to test on (SQLite in a temporary folder when unset)",
    "DJANGO_ALLOW_ASYNC_UNSAFE": "set for the browser tests' live server",
    "GONGKAI_CHROMIUM": "another Chromium binary (/usr/bin/chromium when unset)",
    "GONGKAI_REPORT_CORPUS": "optional folder of real published reports (skips when unset)",
    "GONGKAI_REQUIRE_BROWSER": "CI: a missing Chromium fails instead of skipping",
    "GONGKAI_REQUIRE_SERVICES": "CI: a missing nginx or redis-server fails instead of skipping",
    "GONGKAI_TEST_ARTIFACTS": "where screenshots go (test-artifacts/ in the clone when unset)",
    "GONGKAI_TEST_POSTGRES": "the PostgreSQL server the reliability tests may use",
}
# Absolute paths a test may open: programs and files of the system it runs on (their tests
# skip when they are absent, unless GONGKAI_REQUIRE_* says otherwise).
SYSTEM_PREFIXES = ("/usr/", "/dev/", "/proc/", "/etc/", "/bin/")
OPENERS = {"Path", "PurePath", "open", "read_file", "check_path"}


def _test_sources() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if p.resolve() != Path(__file__).resolve()]


def test_the_tests_read_only_known_environment_variables():
    read = set()
    pattern = re.compile(r"""(?:environ\.get|getenv|environ)\s*[\(\[]\s*["']([A-Z][A-Z0-9_]+)""")
    for path in _test_sources():
        read.update(pattern.findall(path.read_text(encoding="utf-8")))
    unknown = sorted(read - set(TEST_ENVIRONMENT))
    assert not unknown, (
        f"tests read {unknown}: add each to TEST_ENVIRONMENT with what it is for; a path "
        "outside the clone must be optional and skip when unset"
    )


def test_the_tests_open_no_path_outside_the_clone():
    """``Path(__file__).parents[n]`` stays inside the clone, and no path a test opens is an
    absolute one of this machine (a home, /work, /srv …) or climbs out with ``..``. (Strings
    such as "../../etc/passwd" that a test sends as hostile input are not opened by it.)"""
    found = []
    for path in _test_sources():
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "parents"
                and isinstance(node.slice, ast.Constant)
                and isinstance(node.slice.value, int)
            ):
                target = path.resolve().parents[node.slice.value]
                if not target.is_relative_to(ROOT):
                    found.append(f"{where}:{node.lineno}: parents[{node.slice.value}]")
            opened = None
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in OPENERS:
                    opened = node.args[0]
            elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
                opened = node.right
            if isinstance(opened, ast.Constant) and isinstance(opened.value, str):
                value = opened.value
                climbs = ".." in Path(value).parts
                foreign = value.startswith("/") and not value.startswith(SYSTEM_PREFIXES)
                if climbs or foreign:
                    found.append(f"{where}:{node.lineno}: {value!r}")
    assert not found, "\n".join(found)


def test_the_corpus_of_real_reports_is_optional(tmp_path):
    """Without GONGKAI_REPORT_CORPUS the corpus test skips, so a clone anywhere passes."""
    env = {k: v for k, v in subprocess_env(tmp_path).items() if k != "GONGKAI_REPORT_CORPUS"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/test_checker.py::test_the_corpus",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 skipped" in result.stdout and "GONGKAI_REPORT_CORPUS" in result.stdout
