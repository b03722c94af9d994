"""The review before a reply gives information to an applicant (条例第十七条, 保守国家秘密法
第三十五条): whatever the channel, information passes the agency's confidentiality review before
it is disclosed. A reply that provides information (予以公开 or 部分公开, 条例第三十六条第（二）项)
carries the information as catalog items of the agency, each through the agency's review chain,
which ends in 保密审查; the reply cannot be sent before every one of them is through. A reply that
points to information already published (第三十六条第（一）项) releases nothing new: what it
points to was reviewed when it was published. docs/law/release.md explains the reading.
"""

from __future__ import annotations

from gongkai.law import outcomes

ARTICLES = "条例第十七条、《中华人民共和国保守国家秘密法》第三十五条"
# The value the case file stores for "向申请人提供" (条例第三十六条第（二）项).
PROVIDED = "provided"


def needs_review(outcome_key: str, disclosure: str) -> bool:
    """Whether the reply of a case decided so gives information that must first pass the review
    chain: a disclosing outcome whose information is provided to the applicant now."""
    return outcome_key in outcomes.DISCLOSING and disclosure == PROVIDED
