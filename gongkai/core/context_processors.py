from gongkai import __version__


def site(request):
    return {"gongkai_version": __version__}


def law(request):
    """The periods of the law (gongkai.law.periods) as ``law.REPLY_DAYS`` and so on: a page
    states a period from here, never with its own digits. Read on every request, so the pages
    follow the module."""
    from gongkai.law import periods

    return {"law": {name: getattr(periods, name) for name in dir(periods) if name.isupper()}}
