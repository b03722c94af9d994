"""Which consultation (a pause of the case) a letter is about."""

from __future__ import annotations

from gongkai.applications.models import Application, Pause, PauseKind


def objected_consultation(application: Application) -> Pause | None:
    """The latest third-party consultation that ended with an objection (第三十二条), if the
    case has one."""
    pauses = [
        p
        for p in application.pauses.all()
        if p.kind == PauseKind.THIRD_PARTY and p.end is not None and p.result == "objected"
    ]
    return max(pauses, key=lambda p: (p.start, p.id), default=None)


def consultation_pause(application: Application) -> Pause | None:
    """The open consultation, else the latest one; None if the case has none."""
    pauses = [p for p in application.pauses.all() if p.kind != PauseKind.FEE]
    open_ = [p for p in pauses if p.end is None]
    if open_:
        return open_[-1]
    return max(pauses, key=lambda p: (p.start, p.id), default=None)
