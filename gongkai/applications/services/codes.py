"""Tracking numbers and query codes: issued, checked, reissued by the office or by the link sent
to the applicant's e-mail address."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.crypto import salted_hmac

from gongkai.agencies.models import Agency
from gongkai.applications.models import (
    Application,
    Counter,
)
from gongkai.applications.services.base import (
    QUERY_CODE_ALPHABET,
    CaseError,
    _locked,
    _require_handler,
)
from gongkai.history.models import record
from gongkai.law.privacy import mask_in_text

# --- numbers and codes -----------------------------------------------------------------


def next_tracking_number(agency: Agency, year: int) -> str:
    return reserve_tracking_numbers(agency, year, 1)[0]


def looks_like_tracking_number(agency: Agency, text: str) -> bool:
    """Whether ``text`` has the form of this agency's tracking numbers (see
    reserve_tracking_numbers), so that a later one may come out the same."""
    return re.fullmatch(rf"\d{{4}}-{agency.pk:04d}-\d{{5,}}", text or "") is not None


def reserve_tracking_numbers(agency: Agency, year: int, count: int) -> list[str]:
    """``count`` consecutive ``YEAR-AGENCY-SEQUENCE`` numbers, unique under concurrent
    submissions: the counter row is advanced by ``count`` in one statement (a row lock on
    PostgreSQL, the write lock on SQLite, held to the end of the caller's transaction)."""
    with transaction.atomic():
        updated = Counter.objects.filter(agency=agency, year=year).update(value=F("value") + count)
        if not updated:
            try:
                with transaction.atomic():
                    Counter.objects.create(agency=agency, year=year, value=count)
            except IntegrityError:  # another submission created it first
                Counter.objects.filter(agency=agency, year=year).update(value=F("value") + count)
        last = Counter.objects.get(agency=agency, year=year).value
    return [f"{year}-{agency.pk:04d}-{value:05d}" for value in range(last - count + 1, last + 1)]


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(8))


def _hash_code(tracking_number: str, code: str) -> str:
    return hashlib.sha256(f"{tracking_number}:{code.strip().upper()}".encode()).hexdigest()


def check_query_code(application: Application, code: str) -> bool:
    return hmac.compare_digest(
        application.query_code_hash, _hash_code(application.tracking_number, code or "")
    )


@transaction.atomic
def reissue_query_code(actor, application: Application, verified: str) -> str:
    """A new query code for an applicant who lost theirs (or never received it: a crash after
    the submission was saved). The handler gives it only after checking who is asking, and says
    how (``verified``); the old code stops working. Returns the new code, to be told to the
    applicant once; only its hash is kept."""
    application = _locked(application)
    _require_handler(actor, application.agency)
    verified = mask_in_text((verified or "").strip(), known=[application.id_number])
    if not verified:
        raise CaseError(
            "请写明如何核实了申请人的身份，如“当面查验居民身份证”或“回拨登记的电话核实”。"
        )
    return _new_code(actor, application, verified)


def _new_code(actor, application: Application, how: str) -> str:
    code = new_query_code()
    application.query_code_hash = _hash_code(application.tracking_number, code)
    application.save(update_fields=["query_code_hash", "updated_at"])
    record(
        actor,
        "application.code_reissue",
        application,
        summary=f"{application.tracking_number}：重新生成查询码，旧查询码作废（{how[:120]}）",
        agency=application.agency,
    )
    return code


# The applicant's own way to a new code: a link sent to the e-mail address of the application,
# valid for an hour and for one use (it names the current code's hash, which the new code
# replaces). Opening the mailbox is what proves who is asking.
CODE_LINK_SALT = "gongkai.applications.code-link"
CODE_LINK_HOURS = 1


def _fold(address: str) -> str:
    return unicodedata.normalize("NFKC", address or "").strip().casefold()


def _same_address(given: str, typed: str) -> bool:
    return bool(_fold(given)) and hmac.compare_digest(_fold(given).encode(), _fold(typed).encode())


def code_link_for(tracking_number: str, email: str) -> tuple[Application, str] | None:
    """The application and a link token when ``email`` is the address the application gave;
    None otherwise (the caller must not tell which of the two did not match)."""
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=(tracking_number or "").strip())
        .first()
    )
    if application is None or not _same_address(application.email, email):
        return None
    token = signing.dumps(
        {"n": application.tracking_number, "h": _code_fence(application)},
        salt=CODE_LINK_SALT,
        compress=True,
    )
    return application, token


def _code_fence(application: Application) -> str:
    """What a link token says of the current code: enough to tell that the code is still the
    same (so that the link works once), nothing to search the code from (the token is only
    signed, not encrypted; a keyed hash of the stored hash, not the hash itself)."""
    return salted_hmac(CODE_LINK_SALT, application.query_code_hash).hexdigest()[:32]


def application_for_code_link(token: str) -> Application | None:
    """The application a link token is for while it is fresh and unused; None otherwise."""
    try:
        data = signing.loads(token, salt=CODE_LINK_SALT, max_age=CODE_LINK_HOURS * 3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict):
        return None
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=str(data.get("n", ""))[:40])
        .first()
    )
    if application is None or not hmac.compare_digest(
        _code_fence(application).encode(), str(data.get("h", "")).encode()
    ):
        return None
    return application


def reissue_code_by_link(token: str) -> tuple[Application, str] | None:
    """Use a link token: a new code (the old one and the link stop working), or None when the
    link is stale, used or forged."""
    with transaction.atomic():
        application = application_for_code_link(token)
        if application is None:
            return None
        application = _locked(application)
        if application_for_code_link(token) is None:  # used by a request just before
            return None
        return application, _new_code(None, application, "申请人经登记的电子邮箱确认")


def find_by_code(tracking_number: str, code: str) -> Application | None:
    """The application with this number if the query code matches; None otherwise (the
    caller cannot tell a wrong number from a wrong code)."""
    application = (
        Application.objects.select_related("agency")
        .filter(tracking_number=(tracking_number or "").strip())
        .first()
    )
    if application is None or not check_query_code(application, code):
        return None
    return application
