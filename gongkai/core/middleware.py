"""A strict Content-Security-Policy: the site runs no inline script and loads nothing foreign."""

_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)


def content_security_policy(get_response):
    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", _POLICY)
        return response

    return middleware


CONTROL_MESSAGE = "请求中含有不可见的控制字符（如 NUL），无法处理：请检查输入的内容或链接。"
TOO_BIG_MESSAGE = (
    "提交的内容过大，无法处理：表单的文字不超过 2.5 MB，附件合计不超过 50 MB。"
    "请返回上一页，减少内容后重新提交。"
)


# The largest request body gongkai reads (five 10 MB attachments and the form, with room to
# spare). nginx refuses larger ones itself (deploy/nginx.conf: client_max_body_size 64m and an
# error page with this very message); the app servers refuse them here, on Content-Length and
# before reading a byte, so that a client without nginx in front is told in Chinese too.
MAX_REQUEST_BYTES = 64 * 1024 * 1024
TOO_LARGE_MESSAGE = (
    f"提交的内容超过 {MAX_REQUEST_BYTES // (1024 * 1024)} MB 的上限，未读取。"
    "网上申请的附件合计不能超过 50 MB：请返回上一页，减少附件后重新提交。"
)


def refuse_oversized_body(get_response):
    """A body declared larger than ``MAX_REQUEST_BYTES`` is a Chinese 413 (JSON under /api/),
    its body never read."""

    def middleware(request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_REQUEST_BYTES:
            return refuse(request, TOO_LARGE_MESSAGE, 413)
        return get_response(request)

    return middleware


def _has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in items) for key, items in values)


def refuse(request, message: str, status: int):
    """A refusal in Chinese: ``{"errors": {"__all__": [message]}}`` under /api/, the message as
    plain text elsewhere."""
    from django.http import HttpResponse, JsonResponse

    if request.path.startswith("/api/"):
        return JsonResponse(
            {"errors": {"__all__": [message]}},
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def explain_method_not_allowed(get_response):
    """A 405 of Django's (``require_POST``, a class-based view, the logout that takes only a
    POST) has an empty body: say in Chinese what happened (JSON under /api/), with its Allow
    header kept."""

    def middleware(request):
        response = get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        allowed = response.get("Allow", "")
        only = f"（只支持 {allowed}）" if allowed else ""
        message = (
            f"此地址不支持 {request.method[:20]} 请求{only}：请从网站的页面上打开链接或提交表单，"
            "不要直接输入、收藏或刷新这个地址。"
        )
        explained = refuse(request, message, 405)
        if allowed:
            explained["Allow"] = allowed
        return explained

    return middleware


def refuse_control_characters(get_response):
    """A NUL byte in the path, the query string or a urlencoded form is refused with a Chinese
    400 (JSON under /api/), before any view passes it to a database that cannot store it; such
    a form over Django's limit is a Chinese 413, not an empty form to fill in again."""
    from django.core.exceptions import RequestDataTooBig

    # Multipart bodies are left to the views, whose forms refuse NUL bytes (Django's CharField
    # does) and which handle their own upload limits (too many files, too large).
    form_types = ("application/x-www-form-urlencoded",)

    def middleware(request):
        bad = "\x00" in request.path or _has_nul(request.GET.lists())
        if not bad and request.method == "POST" and request.content_type in form_types:
            try:
                bad = _has_nul(request.POST.lists())
            except RequestDataTooBig:
                return refuse(request, TOO_BIG_MESSAGE, 413)
            except Exception:
                bad = False
        if bad:
            return refuse(request, CONTROL_MESSAGE, 400)
        return get_response(request)

    return middleware


class MissingFontMiddleware:
    """A PDF that cannot show Chinese is refused with a Chinese 503 naming what to install,
    never sent as a document of empty boxes (``fonts.MissingFont``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from gongkai.core.fonts import MissingFont

        if isinstance(exception, MissingFont):
            return refuse(request, str(exception), 503)
        return None


def no_body_for_head(get_response):
    """A HEAD request gets the headers of the GET, Content-Length included, and no body
    (RFC 9110 §9.3.2). Django leaves this to the server and waitress sends the body, which a
    client on a kept-alive connection then reads as the start of the next response."""

    def middleware(request):
        response = get_response(request)
        if request.method != "HEAD":
            return response
        if response.streaming:
            close = getattr(response, "close", None)
            response.streaming_content = []
            if close is not None:
                close()
        else:
            if not response.has_header("Content-Length"):
                response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    return middleware
