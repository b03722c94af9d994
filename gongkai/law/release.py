"""The review before a reply gives information to an applicant (条例第十七条, 保守国家秘密法
第三十五条): whatever the channel, information passes the agency's confidentiality review before
it is disclosed. A reply that provides information (予以公开 or 部分公开, 条例第三十六条第（二）项)
carries the information as catalog items of the agency, each through the agency's review chain,
which ends in 保密审查; the reply cannot be sent before every one of them is through. A reply that
points to information already published (第三十六条第（一）项) releases nothing new: what it
points to was reviewed when it was published; but a 部分公开 always gives a redacted copy made
for the reply, which is reviewed whatever the disclosure. docs/law/release.md explains the
reading.
"""

from __future__ import annotations

from gongkai.law import outcomes

ARTICLES = "条例第十七条、《中华人民共和国保守国家秘密法》第三十五条"
# The value the case file stores for "向申请人提供" (条例第三十六条第（二）项).
PROVIDED = "provided"


def needs_review(outcome_key: str, disclosure: str) -> bool:
    """Whether the reply of a case decided so gives information that must first pass the review
    chain: a disclosing outcome whose information is provided to the applicant now, and every
    部分公开."""
    # 部分公开 (条例第三十七条), the outcome that withholds parts: what the applicant gets is the
    # information with those parts taken out, a copy made for this reply that was never
    # published as such, even where the whole was: it passes the review whatever the disclosure.
    info = outcomes.BY_KEY.get(outcome_key)
    if info is not None and outcomes.WITHHELD_PART in info.asks:
        return outcome_key in outcomes.DISCLOSING
    return outcome_key in outcomes.DISCLOSING and disclosure == PROVIDED


# What the catalog lets out to an applicant (条例第十四条至第十六条: 不予公开 never is); the
# values are those of ``catalog.models.Disclosure``.
ON_REQUEST = "on_request"
PROACTIVE = "proactive"
NOT_PUBLIC = "not_public"
RELEASABLE = (ON_REQUEST, PROACTIVE)


def may_release(disclosure: str) -> bool:
    """Whether a catalog revision of this 公开属性 may be what a reply provides."""
    return disclosure in RELEASABLE


def same_applicant(key: str, other: str) -> bool:
    """Whether two cases are of the same applicant (``Application.applicant_key``, the ID number
    or 统一社会信用代码): an item of 依申请公开 reviewed for one applicant, who may find their own
    data kept in it, is given to that applicant only. A case without the number is not known
    to be the same applicant."""
    return bool(key) and key.upper() == (other or "").upper()
