"""Due dates per second: ``python bench/deadlines.py [N]``.

Computes the full set of due dates (补正 notice, reply, extension) for N receipt dates spread
over 2016–2026 and, in the same run, a baseline that only adds 40 weekdays with no calendar,
no pauses and no explanation. The ratio is what to compare between machines.
"""

from __future__ import annotations

import datetime as dt
import random
import time

from gongkai.clock import deadlines
from gongkai.clock.workcalendar import WorkCalendar


def _baseline(start: dt.date, days: int) -> dt.date:
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


def main(n: int = 20_000) -> None:
    calendar = WorkCalendar.default()
    rng = random.Random(2026)
    first = dt.date(2016, 1, 1).toordinal()
    dates = [dt.date.fromordinal(first + rng.randrange(3900)) for _ in range(n)]
    pause = dt.timedelta(days=5)

    started = time.perf_counter()
    for day in dates:
        _baseline(day, 7)
        _baseline(day, 40)
    baseline = time.perf_counter() - started

    started = time.perf_counter()
    for day in dates:
        deadlines.compute(
            calendar,
            day,
            pauses=[deadlines.Pause(day + pause, day + 2 * pause)],
            extension_days=20,
        )
    measured = time.perf_counter() - started

    print(f"applications:        {n}")
    print(f"gongkai deadlines:   {n / measured:,.0f} applications/s ({measured:.2f} s)")
    print(f"weekday-only base:   {n / baseline:,.0f} applications/s ({baseline:.2f} s)")
    print(f"ratio (time):        {measured / baseline:.2f}× the baseline")


if __name__ == "__main__":
    from _args import counts

    main(*counts("期限计算的基准测试", ("n", 20_000, 200, "申请数")))
