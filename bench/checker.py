"""Report checker throughput: ``python bench/checker.py [--quick] [--dir DIR] [--help]``.

Generates a corpus with a seeded random generator (``--seed``, default 2026) into a temporary
folder (or ``--dir DIR``, which must be empty or new, and is kept):

- ``text/``: N reports (``--reports N``, default 1,000) in the five text layouts of
  ``gongkai.checker.samples`` in rotation (lines, pipes, markdown, html, html_flat), half in the
  2019 format (years 2019–2020) and half in the 2021 one (2021–2024), figures random but
  consistent (every total adds up, every column balances), about one in six GBK-encoded (the
  HTML ones then declare ``charset=gbk``), and about one in five with one error or warning
  made into it (a wrong total, an unbalanced column, a wrong 总计, an appeal sum, a negative
  count, a blank cell, a late publication);
- ``docx/`` and ``pdf/``: M reports each (``--office M``, default 100) made the same way and
  rendered by ``gongkai.reports.render``. Rendering (WeasyPrint above all) is slow: it runs on
  every CPU and its time is printed on its own, never counted.

Then, each measurement R times (``--repeats R``, default 3; the median is printed), the
measurements of one repeat one after the other so that a busy machine weighs on all alike:

- (a) the floor any checker pays, the baseline: read every file's bytes, decode them (UTF-8,
  else GB 18030) and split the lines (for a DOCX: unzip ``word/document.xml`` instead; for a
  PDF: the bytes only);
- (b) ``batch.run(items, jobs=1)``, the checker on one process;
- (c) ``batch.run(items, jobs=2)``;
- (d) the DOCX and the PDF sets, each on one process and with 2 jobs.

Files per second, per core (files per second / jobs), files per CPU-second (the CPU time of
the process and of its workers: what other work on a shared machine hardly changes) and the
ratio checker/baseline (wall-clock time) are printed, and for the text corpus files per second
by layout; the issue aims at 200 text or HTML reports per second per core. Then the real command
runs once end to end, ``python -m gongkai check TEXT_DIR --json --jobs 2`` (JSON lines into a
file, read back and checked afterwards), to show what the command adds (interpreter start-up,
imports, listing, JSON) to (c). It is ``-m gongkai``: ``python -m gongkai.cli`` would exit 0
having done nothing, since ``gongkai/cli.py`` has no ``if __name__ == "__main__"`` block.

Every result of every run is checked against the report dict it was made from: the format, the
year, the agency, tables 二, 三 and 四 exactly, and the publication date (none for DOCX and PDF,
which carry none); a clean report must have no finding at all, a broken one the finding it was
broken for. Any difference makes the exit status 1; a slow figure does not.

When the one-process text figure is below the target (or with ``--profile``), the text corpus
is checked once more under cProfile, with the time split into reading, extracting and
checking, and the top functions are printed. ``--quick`` is a smoke run (100 text reports,
10 DOCX and 10 PDF, one repeat).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import json
import multiprocessing
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from decimal import Decimal
from pathlib import Path

from gongkai.checker import batch, check, extract, reading, samples
from gongkai.reports import counting

TARGET = 200  # text or HTML reports per second per core (the issue)
JOBS = 2
KEYS = ("format", "year", "agency", "proactive", "applications", "appeals")
AGENCIES = [
    "云溪县民政局",
    "云溪县财政局",
    "云溪县教育体育局",
    "云溪县卫生健康局",
    "云溪县市场监督管理局",
    "云溪县人民政府",
    "云溪县人民政府办公室",
    "城关镇人民政府",
    "东山乡人民政府",
    "河西街道办事处",
]
# Applicants per year by column (natural_person … other), as counties see them.
RECEIVED = [(0, 400), (0, 40), (0, 5), (0, 5), (0, 10), (0, 20)]
# How replies fall over the outcome rows: most granted, a tail over the rest.
OUTCOME_WEIGHTS = {"granted": 50, "partially_granted": 12, "unable_not_held": 15}
ROOT = Path(__file__).resolve().parents[1]


class WrongResult(Exception):
    pass


# --- the corpus ----------------------------------------------------------------------------


def clean_report(rng: random.Random) -> dict:
    """A report whose figures all agree: random, consistent, published in time."""
    fmt = "2019" if rng.random() < 0.5 else "2021"
    year = rng.choice((2019, 2020) if fmt == "2019" else (2021, 2022, 2023, 2024))
    keys = counting.row_keys(fmt)
    outcome_keys = keys[2:-2]
    weights = [OUTCOME_WEIGHTS.get(k, 1) for k in outcome_keys]
    rows = {key: [0] * 7 for key in keys}
    for column, (low, high) in enumerate(RECEIVED):
        received = rng.randint(low, high)
        carried = rng.randint(0, received // 8 + 1)
        available = received + carried
        processed = rng.randint(available * 3 // 4, available)
        for outcome in rng.choices(outcome_keys, weights=weights, k=processed):
            rows[outcome][column] += 1
        rows["received_new"][column] = received
        rows["carried_over"][column] = carried
        rows["total_processed"][column] = processed
        rows["carried_forward"][column] = available - processed
    for values in rows.values():
        values[6] = sum(values[:6])
    appeals = {}
    for group in counting.APPEAL_GROUPS:
        cells = {cell: rng.randint(0, 4) for cell in counting.APPEAL_CELLS[:4]}
        cells["total"] = sum(cells.values())
        appeals[group] = cells

    def amount() -> str:
        return counting.decimal_text(Decimal(rng.randint(0, 500_000)) / 100)

    if fmt == "2021":
        proactive = {
            group: {
                "issued": rng.randint(0, 30),
                "repealed": rng.randint(0, 10),
                "in_force": rng.randint(0, 300),
            }
            for group in counting.DOCUMENT_GROUPS
        }
        proactive |= {
            "licensing_decisions": rng.randint(0, 20_000),
            "penalty_decisions": rng.randint(0, 3_000),
            "coercion_decisions": rng.randint(0, 200),
            "fees_amount_10k_yuan": amount(),
        }
    else:
        proactive = {
            group: {
                "made": rng.randint(0, 30),
                "published": rng.randint(0, 30),
                "total_published": rng.randint(0, 300),
            }
            for group in counting.DOCUMENT_GROUPS
        }
        for block in ("licensing", "other_services", "penalty", "coercion"):
            proactive[block] = {
                "previous_items": rng.randint(0, 500),
                "change": rng.randint(-20, 20),  # 本年增/减 may be negative
                "decisions": rng.randint(0, 20_000),
            }
        proactive["fees"] = {"previous_items": rng.randint(0, 50), "change": rng.randint(-5, 5)}
        proactive["procurement"] = {"items": rng.randint(0, 200), "amount": amount()}
    published = dt.date(year + 1, 1, 2) + dt.timedelta(days=rng.randrange(29))
    return {
        "schema": counting.SCHEMA,
        "format": fmt,
        "year": year,
        "agency": rng.choice(AGENCIES),
        "published_on": published.isoformat(),
        "proactive": proactive,
        "applications": {"columns": list(counting.COLUMNS), "rows": rows},
        "appeals": appeals,
    }


def _total(report):
    report["applications"]["rows"]["received_new"][6] += 1


def _balance(report):
    rows = report["applications"]["rows"]
    rows["carried_forward"][0] += 1
    rows["carried_forward"][6] += 1


def _outcomes(report):
    rows = report["applications"]["rows"]
    rows["granted"][1] += 2
    rows["granted"][6] += 2


def _appeal_sum(report):
    report["appeals"]["reconsideration"]["total"] += 3


def _negative(report):
    if report["format"] == "2021":
        report["proactive"]["licensing_decisions"] = -2
    else:
        report["proactive"]["licensing"]["decisions"] = -2


def _blank(report):
    report["applications"]["rows"]["granted"][2] = None


def _late(report):
    report["published_on"] = f"{report['year'] + 1}-06-15"


# (change, the finding it must give, the layouts it can be written in): a blank cell has no
# place of its own in a layout of one cell per line or paragraph (it is a dash in ``lines``,
# an empty paragraph dropped in ``html_flat``, nothing in a PDF's text layer); DOCX and PDF carry
# no publication date.
BROKEN = [
    (_total, "TOTAL_MISMATCH", None),
    (_balance, "BALANCE_MISMATCH", None),
    (_outcomes, "OUTCOME_SUM_MISMATCH", None),
    (_appeal_sum, "APPEAL_SUM_MISMATCH", None),
    (_negative, "NEGATIVE_VALUE", None),
    (_blank, "BLANK_CELL", {"pipes", "markdown", "html", "docx"}),
    (_late, "LATE_PUBLICATION", set(samples.TEXT_LAYOUTS)),
]


def make_report(rng: random.Random, layout: str) -> tuple[dict, str | None]:
    """A report for ``layout`` and the finding it must give (None: clean)."""
    report = clean_report(rng)
    if rng.random() >= 0.2:
        return report, None
    choices = [
        (change, code)
        for change, code, layouts in BROKEN
        if (layouts is None or layout in layouts)
        and not (
            code == "LATE_PUBLICATION"
            and check.agency_kind(report["agency"]) in ("township", "street")
        )
    ]
    change, code = rng.choice(choices)
    change(report)
    return report, code


def encode(report: dict, layout: str, gbk: bool) -> bytes:
    data = samples.make(report, layout)
    if not gbk:
        return data
    text = data.decode().replace("charset='utf-8'", "charset='gbk'")
    return text.encode("gbk")


def _render(job: tuple[str, dict, str]) -> tuple[str, float]:
    path, report, layout = job
    began = time.perf_counter()
    Path(path).write_bytes(samples.make(report, layout))
    return path, time.perf_counter() - began


def generate(folder: Path, reports: int, office: int, seed: int) -> dict[str, dict]:
    """Write the corpus; returns, by file path, what each file must give back."""
    expected: dict[str, dict] = {}
    text = folder / "text"
    text.mkdir(parents=True)
    rng = random.Random(seed)
    began = time.perf_counter()
    size = gbk_count = broken = 0
    for n in range(reports):
        layout = samples.TEXT_LAYOUTS[n % len(samples.TEXT_LAYOUTS)]
        report, code = make_report(rng, layout)
        gbk = rng.random() < 1 / 6
        data = encode(report, layout, gbk)
        path = text / f"{n:05d}-{layout}-{report['year']}{'-gbk' if gbk else ''}"
        path = path.with_suffix(samples.SUFFIX[layout])
        path.write_bytes(data)
        expected[str(path)] = {"report": report, "code": code, "layout": layout}
        size += len(data)
        gbk_count += gbk
        broken += code is not None
    print(
        f"text/HTML reports:   {reports:,} in {len(samples.TEXT_LAYOUTS)} layouts "
        f"({', '.join(samples.TEXT_LAYOUTS)}), {gbk_count} GBK, {broken} with an error or "
        f"warning made in; {size / reports / 1024:.1f} KB each on average; written in "
        f"{time.perf_counter() - began:.1f} s"
    )
    if not office:
        return expected
    jobs = []
    rng = random.Random(seed + 1)
    for layout in ("docx", "pdf"):
        (folder / layout).mkdir()
        for n in range(office):
            report, code = make_report(rng, layout)
            report["published_on"] = None  # what comes back: these carry no date
            path = folder / layout / f"{n:05d}-{report['year']}{samples.SUFFIX[layout]}"
            expected[str(path)] = {"report": report, "code": code, "layout": layout}
            jobs.append((str(path), report, layout))
    began = time.perf_counter()
    processes = os.cpu_count() or 1
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    spent = {"docx": 0.0, "pdf": 0.0}
    with context.Pool(processes) as pool:
        for path, seconds in pool.imap_unordered(_render, jobs):
            spent[expected[path]["layout"]] += seconds
    print(
        f"DOCX and PDF:        {office} each, rendered in {time.perf_counter() - began:.1f} s "
        f"on {processes} processes (not counted; {spent['docx'] / office:.2f} s per DOCX, "
        f"{spent['pdf'] / office:.2f} s per PDF)"
    )
    return expected


# --- checking the results ------------------------------------------------------------------


def _difference(got, want, where: str) -> str | None:
    """The first place where two reports differ, as ``where: got … want …``."""
    if isinstance(want, dict) and isinstance(got, dict):
        for key in want.keys() | got.keys():
            found = _difference(got.get(key), want.get(key), f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(want, list) and isinstance(got, list) and len(want) == len(got):
        for index, (a, b) in enumerate(zip(got, want, strict=True)):
            found = _difference(a, b, f"{where}[{index}]")
            if found:
                return found
        return None
    if got != want or type(got) is not type(want):
        return f"{where}: got {got!r}, made with {want!r}"
    return None


def verify(file: str, report: dict | None, codes: list[str], expected: dict) -> str | None:
    want = expected["report"]
    if report is None:
        return f"{file}: not read as a report: {codes}"
    for key in (*KEYS, "published_on"):
        found = _difference(report.get(key), want[key], key)
        if found:
            return f"{file}: {found}"
    code = expected["code"]
    if code is None and codes:
        return f"{file}: clean report, findings {sorted(set(codes))}"
    if code is not None and code not in codes:
        return f"{file}: made with {code}, findings {sorted(set(codes))}"
    return None


def verify_results(results, expected: dict[str, dict], failures: list[str], label: str) -> None:
    for result in results:
        if result.file not in expected:
            failures.append(f"{label}: unexpected file {result.file}")
            continue
        codes = [f.code for f in result.findings]
        problem = verify(result.file, result.report, codes, expected[result.file])
        if problem:
            failures.append(f"{label}: {problem}")


# --- measuring -----------------------------------------------------------------------------


def floor(items: list[batch.Input]) -> int:
    """What any checker pays: the bytes, decoded, split into lines."""
    lines = 0
    for item in items:
        data = Path(item.path).read_bytes()
        if data.startswith(b"PK\x03\x04"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = archive.read("word/document.xml")
        elif data.startswith(b"%PDF"):
            lines += 1
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("gb18030")
        lines += len(text.splitlines())
    return lines


def run_checker(items: list[batch.Input], jobs: int, per_item: dict | None = None):
    """The results of ``batch.run``; with ``per_item`` (one process only), the time between
    two results, by file: what each file took."""
    results = []
    last = time.perf_counter()
    for result in batch.run(items, jobs=jobs):
        results.append(result)
        if per_item is not None:
            now = time.perf_counter()
            per_item.setdefault(result.file, []).append(now - last)
            last = now
    return results


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the pool's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def timed(function, *args, **kwargs):
    """Wall-clock and CPU seconds of the call, and its value."""
    began, cpu = time.perf_counter(), cpu_seconds()
    value = function(*args, **kwargs)
    return time.perf_counter() - began, cpu_seconds() - cpu, value


def measure(name, items, expected, repeats, failures, per_item=None) -> dict[str, float]:
    """Median seconds (wall clock, and CPU as ``KEY cpu``) of the floor, one process and JOBS
    processes over ``items``."""
    times: dict[str, list[float]] = {}
    for repeat in range(repeats):
        seconds, cpu, _lines = timed(floor, items)
        times.setdefault("floor", []).append(seconds)
        for jobs, key in ((1, "one"), (JOBS, "jobs")):
            seconds, cpu, results = timed(run_checker, items, jobs, per_item if jobs == 1 else None)
            times.setdefault(key, []).append(seconds)
            times.setdefault(f"{key} cpu", []).append(cpu)
            label = f"{name} jobs={jobs} run {repeat + 1}"
            verify_results(results, expected, failures, label)
            if [r.file for r in results] != [i.name for i in items]:
                failures.append(f"{label}: {len(results)} results for {len(items)} files")
    return {key: statistics.median(values) for key, values in times.items()}


def _per_cpu(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "—"


def print_measurement(name: str, count: int, times: dict[str, float], floor_label: str) -> None:
    one, jobs, base = times["one"], times["jobs"], times["floor"]
    print(f"\n{name} ({count:,} files)")
    print(f"  (a) baseline:      {count / base:10,.0f} files/s ({base:6.2f} s)  {floor_label}")
    print(
        f"  (b) jobs=1:        {count / one:10,.0f} files/s ({one:6.2f} s)  "
        f"{count / one:,.0f}/s per core ({_per_cpu(count, times['one cpu'])} per CPU-second), "
        f"{one / count * 1000:.1f} ms per file, {one / base:,.0f}× the baseline"
    )
    print(
        f"  (c) jobs={JOBS}:        {count / jobs:10,.0f} files/s ({jobs:6.2f} s)  "
        f"{count / jobs / JOBS:,.0f}/s per core ({_per_cpu(count, times['jobs cpu'])} per "
        f"CPU-second), {one / jobs:.2f}× jobs=1, {jobs / base:,.0f}× the baseline"
    )


def by_layout(per_item: dict[str, list[float]], expected: dict[str, dict]) -> None:
    """Files per second of each layout, from the one-process runs."""
    spent: dict[str, list[float]] = {}
    for file, seconds in per_item.items():
        spent.setdefault(expected[file]["layout"], []).append(statistics.median(seconds))
    parts = [
        f"{layout} {len(values) / sum(values):,.0f}/s"
        for layout, values in spent.items()
        if sum(values) > 0
    ]
    print(f"  by layout (jobs=1): {', '.join(parts)}")


def run_command(folder: Path, text_items: int, text: dict[str, float], expected, failures) -> None:
    """``python -m gongkai check TEXT_DIR --json --jobs 2``, end to end, once; its wall-clock
    and CPU time (of the command and its workers) against the in-process jobs=2 run."""
    out = folder / "check.jsonl"
    command = [sys.executable, "-m", "gongkai", "check", str(folder / "text"), "--json"]
    command += ["--jobs", str(JOBS)]
    startup_seconds, startup_cpu, startup = timed(
        subprocess.run,
        [sys.executable, "-m", "gongkai", "check", "--help"],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    with out.open("wb") as stdout:
        seconds, cpu, process = timed(
            subprocess.run,
            command,
            stdout=stdout,
            stderr=subprocess.PIPE,
            check=False,
            cwd=ROOT,
        )
    lines = out.read_text(encoding="utf-8").splitlines()
    broken = any(e["code"] for e in expected.values() if e["layout"] in samples.TEXT_LAYOUTS)
    want_status = 1 if broken else 0
    shown = " ".join(["python", "-m", "gongkai", *command[3:]])
    print(f"\nthe command:         {shown} > FILE")
    print(
        f"  end to end:        {text_items / seconds:10,.0f} files/s ({seconds:6.2f} s, "
        f"{cpu:.2f} s CPU), exit status {process.returncode}"
    )
    print(
        f"  vs in-process:     jobs={JOBS} took {text['jobs']:.2f} s "
        f"({text['jobs cpu']:.2f} s CPU): the command adds {seconds - text['jobs']:+.2f} s "
        f"({cpu - text['jobs cpu']:+.2f} s CPU); "
        f"start-up alone (`check --help`) {startup_seconds:.2f} s ({startup_cpu:.2f} s CPU)"
    )
    if startup.returncode != 0:
        failures.append(f"command: `check --help` exit status {startup.returncode}")
    if process.returncode != want_status:
        failures.append(
            f"command: exit status {process.returncode}, expected {want_status}: "
            f"{process.stderr.decode(errors='replace')[-500:]}"
        )
    if len(lines) != text_items:
        failures.append(f"command: {len(lines)} JSON lines for {text_items} files")
    for line in lines:
        data = json.loads(line)
        codes = [f["code"] for f in data["findings"]]
        if data["file"] not in expected:
            failures.append(f"command: unexpected file {data['file']}")
            continue
        problem = verify(data["file"], data["report"], codes, expected[data["file"]])
        if problem:
            failures.append(f"command: {problem}")


# --- profiling -----------------------------------------------------------------------------


def stages(items: list[batch.Input]) -> None:
    """Where one process spends its time: reading (decoding, HTML parsing, cells), extracting
    the tables from the cells, and the checks."""
    blobs = [(Path(i.path).read_bytes(), Path(i.path).name) for i in items]
    spent = {"read": 0.0, "extract": 0.0, "checks": 0.0}
    for data, name in blobs:
        began = time.perf_counter()
        document = reading.read_bytes(data, name)
        middle = time.perf_counter()
        extraction = extract.extract(document)
        after = time.perf_counter()
        check.findings_for(extraction)
        spent["read"] += middle - began
        spent["extract"] += after - middle
        spent["checks"] += time.perf_counter() - after
    total = sum(spent.values())
    print(
        "  stages (jobs=1):   "
        + ", ".join(
            f"{name} {seconds / len(blobs) * 1000:.2f} ms/file ({seconds / total:.0%})"
            for name, seconds in spent.items()
        )
    )


def _where(key: tuple[str, int, str]) -> str:
    file, line, function = key
    if file == "~":
        return function
    path = Path(file)
    try:
        shown = str(path.relative_to(ROOT))
    except ValueError:
        shown = f"{path.parent.name}/{path.name}" if path.parent.name != "lib" else path.name
    return f"{shown}:{line}({function})"


def profile(items: list[batch.Input], top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    results = run_checker(items, 1)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = stats.total_tt
    print(
        f"\nprofile: {len(results):,} text/HTML files on one process under cProfile "
        f"({total:.1f} s with the profiler's overhead)"
    )
    stages(items)
    rows = [
        (key, calls, own, cumulative)
        for key, (_primitive, calls, own, cumulative, _callers) in stats.stats.items()
    ]
    for title, column in (("own time (tottime)", 2), ("cumulative, gongkai's own", 3)):
        chosen = sorted(rows, key=lambda r: r[column], reverse=True)
        if column == 3:
            chosen = [r for r in chosen if str(ROOT / "gongkai") in r[0][0]]
        print(f"  top {top} by {title}:")
        print(f"  {'calls':>9} {'own s':>7} {'cum s':>7} {'own %':>6}  function")
        for key, calls, own, cumulative in chosen[:top]:
            print(f"  {calls:>9,} {own:7.2f} {cumulative:7.2f} {own / total:6.1%}  {_where(key)}")


# --- the whole run -------------------------------------------------------------------------


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=None, metavar="N", help="text/HTML files")
    parser.add_argument("--office", type=int, default=None, metavar="M", help="DOCX and PDF each")
    parser.add_argument("--repeats", type=int, default=None, metavar="R")
    parser.add_argument("--dir", type=Path, help="generate here (empty or new; kept)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--quick", action="store_true", help="100 text, 10 DOCX, 10 PDF, 1 run")
    parser.add_argument("--profile", action="store_true", help="profile even when fast enough")
    parser.add_argument("--top", type=int, default=20, help="functions shown by the profile")
    args = parser.parse_args(argv)
    if args.reports is None:
        args.reports = 100 if args.quick else 1_000
    if args.office is None:
        args.office = 10 if args.quick else 100
    if args.repeats is None:
        args.repeats = 1 if args.quick else 3
    if args.reports < 2 or args.office < 0 or args.repeats < 1:
        parser.error("need at least 2 text reports, 0 DOCX/PDF and 1 repeat")
    if args.dir is not None and args.dir.exists() and any(args.dir.iterdir()):
        parser.error(f"--dir {args.dir} is not empty")
    return args


def _run(folder: Path, args) -> None:
    print(
        f"machine:             {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; "
        f"Python {sys.version.split()[0]}"
    )
    print(f"corpus:              {folder} (seed {args.seed})")
    expected = generate(folder, args.reports, args.office, args.seed)
    failures: list[str] = []
    text_items = batch.inputs([folder / "text"])
    # Imports (pypdf, python-docx) and first calls out of the timing: one file of each kind.
    warm = [text_items[0]]
    if args.office:
        warm += [batch.inputs([folder / kind])[0] for kind in ("docx", "pdf")]
    for item in warm:
        batch.run_one(item)
    per_item: dict[str, list[float]] = {}
    text = measure("text/HTML", text_items, expected, args.repeats, failures, per_item)
    print(
        f"\nmedian of {args.repeats} run(s); per core = files/s ÷ jobs; per CPU-second = "
        "files ÷ CPU time of the process and its workers; ratios are of wall-clock time"
    )
    print_measurement("text/HTML", len(text_items), text, "read + decode + split lines")
    by_layout(per_item, expected)
    per_core = len(text_items) / text["one"]
    per_core_jobs = len(text_items) / text["jobs"] / JOBS
    for kind, floor_label in (("docx", "read + unzip document.xml + split"), ("pdf", "read")):
        if not args.office:
            continue
        items = batch.inputs([folder / kind])
        times = measure(kind.upper(), items, expected, args.repeats, failures)
        print_measurement(kind.upper(), len(items), times, floor_label)
        slower = (times["one"] / len(items)) / (text["one"] / len(text_items))
        print(f"  vs text/HTML:      {slower:.0f}× the time per file on one process")
    run_command(folder, len(text_items), text, expected, failures)
    verdict = "met" if per_core >= TARGET else "NOT met"
    print(
        f"\ntarget:              ≥{TARGET} text/HTML reports/s per core: {verdict} "
        f"({per_core:,.0f}/s on one process, {per_core_jobs:,.0f}/s per core with {JOBS} jobs; "
        f"{_per_cpu(len(text_items), text['one cpu'])} per CPU-second, which other work on "
        f"the machine hardly changes)"
    )
    print(f"load average:        {os.getloadavg()[0]:.1f} after the measurements")
    if per_core < TARGET or args.profile:
        profile(text_items, args.top)
    if failures:
        raise WrongResult(
            "\n".join(failures[:30]) + (f"\n… {len(failures)} in all" if len(failures) > 30 else "")
        )
    checked = args.repeats * 2 * (len(text_items) + 2 * args.office) + len(text_items)
    print(f"\nfigures:             every result ({checked:,}) = the report it was made from")


def main(argv=None) -> int:
    args = _arguments(argv)
    if args.dir is not None:
        args.dir.mkdir(parents=True, exist_ok=True)
        folder, keep = args.dir.resolve(), True
    else:
        folder, keep = Path(tempfile.mkdtemp(prefix="gongkai-bench-")), False
    try:
        _run(folder, args)
    except WrongResult as exc:
        print(f"\nWRONG RESULTS:\n{exc}", file=sys.stderr)
        return 1
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
