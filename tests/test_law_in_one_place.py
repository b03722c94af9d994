"""Each rule of the law lives once, in ``gongkai/law/`` (docs/law/): these tests fail when a
copy reappears elsewhere — a list of outcome keys or of the outcome groups, the digits of a
period of working days written into a text, or ``gongkai/law`` itself depending on the rest of
the platform or on Django."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

from gongkai.law import outcomes

ROOT = Path(__file__).resolve().parents[1]
LAW = ROOT / "gongkai" / "law"
OUTCOME_KEYS = set(outcomes.BY_KEY)
GROUPS = set(outcomes.GROUPS)
# "20个工作日", "15 个工作日", "第 7 个工作日": a period's digits in a text.
PERIOD_IN_TEXT = re.compile(r"\d+\s*个工作日")


# Data, not rules: the demo county's cases are made with a handful of outcomes.
NOT_RULES = set((ROOT / "gongkai" / "site" / "demo").glob("*.py"))


def product_files(suffix: str) -> list[Path]:
    files = (ROOT / "gongkai").rglob(f"*{suffix}")
    return [
        f
        for f in files
        if LAW not in f.parents and "migrations" not in f.parts and f not in NOT_RULES
    ]


def _strings(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def test_no_list_of_outcomes_outside_the_law():
    """A literal list, tuple, set or dict naming two or more outcomes (or three or more of
    the groups of table 三) restates what ``law.outcomes`` says."""
    found = []
    for path in product_files(".py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.List | ast.Tuple | ast.Set):
                items = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            elif isinstance(node, ast.Dict):
                items = [k.value for k in node.keys if isinstance(k, ast.Constant)]
            else:
                continue
            keys = {i for i in items if i in OUTCOME_KEYS}
            groups = {i for i in items if i in GROUPS}
            if len(keys) >= 2 or len(groups) >= 3:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {sorted(keys | groups)}")
    assert not found, "outcomes restated outside gongkai/law/:\n" + "\n".join(found)


def test_no_period_written_as_digits_outside_the_law():
    """The texts read the number of working days from ``law.periods`` (an f-string or a
    template variable); a literal "20个工作日" is a copy that would not follow a change."""
    found = []
    for path in product_files(".py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if PERIOD_IN_TEXT.search(node.value):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:60]!r}")
    for path in product_files(".html"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PERIOD_IN_TEXT.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:60]!r}")
    assert not found, "periods written as digits outside gongkai/law/:\n" + "\n".join(found)


def test_the_law_depends_on_nothing_of_the_platform():
    """Plain Python at the bottom: no Django, nothing else of gongkai."""
    for path in LAW.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), f"{path.name} imports {name}"
                if name.startswith("gongkai"):
                    assert name.startswith("gongkai.law"), f"{path.name} imports {name}"
    # And importing it loads no Django.
    modules = ", ".join(f"gongkai.law.{p.stem}" for p in LAW.glob("*.py") if p.stem != "__init__")
    code = f"import sys, {modules}; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_the_guard_finds_a_copy(tmp_path):
    """The checks above can fail: a copied list and a written-out period are found."""
    source = 'ROWS = ["granted", "partially_granted"]\nTEXT = "自收到申请之日起20个工作日内"\n'
    tree = ast.parse(source)
    lists = [n for n in ast.walk(tree) if isinstance(n, ast.List)]
    assert {e.value for e in lists[0].elts} <= OUTCOME_KEYS
    assert any(PERIOD_IN_TEXT.search(s) for s in _strings(tree))
