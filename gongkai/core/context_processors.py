from gongkai import __version__


def site(request):
    return {"gongkai_version": __version__}


def law(request):
    """The periods of the law (gongkai.law.periods) as ``law.REPLY_DAYS`` and so on: a page
    states a period from here, never with its own digits. Read on every request, so the pages
    follow the module."""
    from gongkai.law import periods, records

    return {
        "law": {name: getattr(periods, name) for name in dir(periods) if name.isupper()},
        # 更正申请 (第四十一条): e.g. ``record_law.NO_PERIOD``.
        "record_law": {name: getattr(records, name) for name in dir(records) if name.isupper()},
    }
