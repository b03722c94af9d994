from gongkai import __version__


def site(request):
    return {"gongkai_version": __version__}
