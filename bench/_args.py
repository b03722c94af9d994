"""The command line of the benchmarks that take counts: ``--help``, ``--quick`` (small counts,
for a smoke test in CI) and the counts as optional positional numbers."""

from __future__ import annotations

import argparse


def counts(description: str, *specs: tuple[str, int, int, str]) -> list[int]:
    """``specs``: (name, default, quick, help) per count, in order. Returns the counts."""
    parser = argparse.ArgumentParser(description=description)
    for name, default, _quick, text in specs:
        parser.add_argument(name, type=int, nargs="?", help=f"{text}（默认 {default:,}）")
    parser.add_argument("--quick", action="store_true", help="用很小的数量运行一遍（冒烟测试）")
    args = parser.parse_args()
    values = []
    for name, default, quick, _text in specs:
        given = getattr(args, name)
        if given is not None and given < 1:
            parser.error(f"{name} 应为正整数")
        values.append(given if given is not None else quick if args.quick else default)
    return values
