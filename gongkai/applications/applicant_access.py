"""How an applicant reaches their own case without an account: a signed link in every message,
or the tracking number and query code typed into a form (POST: the code never travels in a
URL). Either grants the browser's session the case; the case pages read the grant.

A link or a grant is bound to the present query code: reissuing the code (找回查询码) ends every
link and grant given before. A link does not expire otherwise: the applicant needs the case and
its letters for as long as a remedy runs (six months for a suit, 行政诉讼法第四十六条).
docs/applicant.md.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from gongkai.applications.models import Application

SALT = "gongkai.applicant-case"
SESSION_KEY = "gongkai_cases"
# The cases one browser may hold at once (a family applying for several things): older
# grants give way.
MAX_GRANTS = 20


def _seal(application: Application) -> str:
    """A fingerprint of the present query code that changes when the code does. Keyed with
    the site's secret: the signed link is readable (signing does not encrypt), and a plain
    hash of an 8-character code could be reversed by trying every code."""
    return salted_hmac(SALT + ".seal", application.query_code_hash).hexdigest()[:24]


def token(application: Application) -> str:
    return signing.dumps(
        {"n": application.tracking_number, "s": _seal(application)}, salt=SALT, compress=True
    )


def from_token(value: str) -> Application | None:
    """The case a link names, or None when the link was altered or its code was reissued."""
    try:
        data = signing.loads(value or "", salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    return _sealed(data.get("n"), data.get("s"))


def _sealed(tracking_number, seal) -> Application | None:
    """The case with this number if ``seal`` is its present code's seal."""
    if not isinstance(tracking_number, str) or seal is None:
        return None
    application = (
        Application.objects.select_related("agency").filter(tracking_number=tracking_number).first()
    )
    if application is None or not hmac.compare_digest(str(seal), _seal(application)):
        return None
    return application


def link_path(application: Application) -> str:
    return reverse("portal:case_link", args=[token(application)])


def absolute_link(application: Application) -> str:
    """The link a message carries: absolute, on the site's public address (GONGKAI_SITE_URL)."""
    return settings.SITE_URL + link_path(application)


def site_url(path: str = "/") -> str:
    return settings.SITE_URL + path


def grant(session, application: Application) -> None:
    grants = [g for g in session.get(SESSION_KEY, []) if g[0] != application.tracking_number]
    grants.append([application.tracking_number, _seal(application)])
    session[SESSION_KEY] = grants[-MAX_GRANTS:]


def revoke(session, tracking_number: str) -> None:
    session[SESSION_KEY] = [g for g in session.get(SESSION_KEY, []) if g[0] != tracking_number]


def granted(session, tracking_number: str) -> Application | None:
    """The case if this session holds a grant for it that its present code still honours."""
    seal = next((g[1] for g in session.get(SESSION_KEY, []) if g[0] == tracking_number), None)
    return _sealed(tracking_number, seal)
