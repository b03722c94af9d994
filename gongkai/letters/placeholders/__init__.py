"""The placeholders a letter template may use, their values for one case, and the substitution.

A template is edited by agency staff, so it is plain text: ``{申请编号}`` is replaced by the
case's tracking number and nothing else happens. There is no attribute access, no expression and
no code (not ``str.format``, not the Django template language): a name is looked up in a fixed
table, and a value is inserted once, never substituted again.

- ``catalogue``: the placeholders, the kinds of letter that may use each, the check of a
  template (``problems``) and the substitution (``substitute``);
- ``builders``: the value of every placeholder for one case and kind (``values``): the values
  common to every letter, then one function per kind of letter (``BY_KIND``);
- ``text``: the texts those values are made of (dates, outcome, remedy, periods due);
- ``pauses``: which consultation a letter is about.

Everything is importable from ``gongkai.letters.placeholders`` as before.
"""

from gongkai.letters.placeholders.builders import (
    ABOUT_A_PAUSE,
    BY_KIND,
    FEE_STANDARDS,
    common_values,
    consultation_values,
    correction_values,
    extension_values,
    fee_values,
    kind_values,
    provision_values,
    reasons_values,
    record_values,
    reply_values,
    request_text,
    third_party_notice_values,
    values,
)
from gongkai.letters.placeholders.catalogue import (
    ALL,
    APPLICANT_PLACEHOLDERS,
    BY_NAME,
    DECISIONS,
    DISCLOSING,
    PLACEHOLDERS,
    PROVISION_PLACEHOLDERS,
    REPLIES,
    TO_APPLICANT,
    TOKEN,
    Placeholder,
    allowed,
    allowed_names,
    problems,
    substitute,
)
from gongkai.letters.placeholders.pauses import consultation_pause, objected_consultation
from gongkai.letters.placeholders.text import (
    ITEM_NUMBER,
    NOT_FILLED,
    answer_due_text,
    dated,
    day,
    evidence_text,
    fee_reason,
    reasons_stated,
    remedy_clause,
    reply_due_text,
    responsible_agency_text,
    result_text,
    withheld_text,
)

__all__ = [
    "ABOUT_A_PAUSE",
    "ALL",
    "APPLICANT_PLACEHOLDERS",
    "BY_KIND",
    "BY_NAME",
    "DECISIONS",
    "DISCLOSING",
    "FEE_STANDARDS",
    "ITEM_NUMBER",
    "NOT_FILLED",
    "PLACEHOLDERS",
    "PROVISION_PLACEHOLDERS",
    "REPLIES",
    "TOKEN",
    "TO_APPLICANT",
    "Placeholder",
    "allowed",
    "allowed_names",
    "answer_due_text",
    "common_values",
    "consultation_pause",
    "consultation_values",
    "correction_values",
    "dated",
    "day",
    "evidence_text",
    "extension_values",
    "fee_reason",
    "fee_values",
    "kind_values",
    "objected_consultation",
    "problems",
    "provision_values",
    "reasons_stated",
    "reasons_values",
    "record_values",
    "remedy_clause",
    "reply_due_text",
    "reply_values",
    "request_text",
    "responsible_agency_text",
    "result_text",
    "substitute",
    "third_party_notice_values",
    "values",
    "withheld_text",
]
