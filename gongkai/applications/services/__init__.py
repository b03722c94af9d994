"""Every step of an application's life, as one function per step of the law.

Each function checks who may take the step and in which state, locks the case row, changes it,
recomputes its due dates and records an event, all in one transaction: a step either happens
completely or not at all. A refusal is a ``CaseError`` whose message says what is wrong, in
Chinese, for the clerk.

Dates are the days things happened (the clerk may record a step a day late), never later than
today and never before the day of receipt.

The steps live in ``base`` (the clock and the helpers), ``codes``, ``receipt``, ``pauses`` and
``decisions``; every name is read from here, ``services.decide`` as before.
"""

from gongkai.applications.services.base import (  # noqa: F401
    _RECOMPUTED,
    APPLICANT_FIELDS,
    APPLY_LIMIT,
    APPLY_WINDOW,
    ATTEMPT_LIMIT,
    CASE_ROLES,
    MAX_FEE_UNITS,
    QUERY_CODE_ALPHABET,
    CaseError,
    Moved,
    _check_day,
    _iso,
    _locked,
    _maybe_workdays,
    _never_earlier,
    _require_disclosure,
    _require_handler,
    _require_status,
    _save,
    _shown,
    _state,
    _workdays_or_refuse,
    add_workdays,
    can_extend,
    can_handle,
    consultation_answer_due,
    due_after_pause,
    due_as_of,
    explain,
    recalculate_open_cases,
    recompute,
    today,
)
from gongkai.applications.services.codes import (  # noqa: F401
    CODE_LINK_HOURS,
    CODE_LINK_SALT,
    _code_fence,
    _fold,
    _hash_code,
    _new_code,
    _same_address,
    application_for_code_link,
    check_query_code,
    code_link_for,
    find_by_code,
    looks_like_tracking_number,
    new_query_code,
    next_tracking_number,
    reissue_code_by_link,
    reissue_query_code,
    reserve_tracking_numbers,
)
from gongkai.applications.services.decisions import (  # noqa: F401
    _BOTH_ITEMS,
    DISCLOSURE_ITEMS,
    REQUIRED_STATUS,
    TRACKING_NUMBER_IN_TEXT,
    _check_answered_before,
    _check_disclosure_basis,
    _check_refusal_articles,
    _part_text,
    _provision,
    _require_reasons_unreasonable,
    _withheld,
    archive,
    decide,
    discloses,
    disclosure_basis,
    outcomes_open_to,
    reply,
)
from gongkai.applications.services.pauses import (  # noqa: F401
    _answer_text,
    _check_received,
    _open_consultation,
    earlier_items_this_month,
    end_consultation,
    extend,
    fee_for,
    issue_fee_notice,
    record_consultation_received,
    record_fee_notice_received,
    record_payment,
    start_consultation,
)
from gongkai.applications.services.receipt import (  # noqa: F401
    _create,
    add_attachment,
    assign,
    confirm_receipt,
    correct_online,
    receive_correction,
    register,
    request_correction,
    submit_online,
)
