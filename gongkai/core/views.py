"""Error pages in Chinese, in the site's layout."""

from django.shortcuts import render


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors may be trusted here: render the plainest page.
    return render(request, "errors/500.html", status=500)
