"""Every step of an item's life: draft, revise, submit, review (approve or return), publish,
withdraw. Each step checks the role, locks the item, changes it and records an event in one
transaction; a refusal is a ``CatalogError`` whose message is for the user, in Chinese.

The review chain is the agency's (default 初审 → 复审 → 终审 → 保密审查). The confidentiality
review is always the last step and cannot be removed (保密法第三十五条, 条例第十七条); nobody
reviews a draft they wrote. The pre-publication scan runs whenever a draft is saved and again
at submission and at each step; every reviewer acknowledges every finding at their step
(removed — a re-scan confirms it — or kept, with the reason), and no step passes, least of all
the 保密审查, while a finding is unacknowledged: there is no bypass. docs/law/review.md.

The steps live in ``rules`` (settings, helpers, what may be done), ``scanning``,
``drafting``, ``review``, ``publishing`` and ``timeliness``; every name is read from here,
``services.approve`` as before.
"""

from gongkai.catalog.services.drafting import (  # noqa: F401
    _found_note,
    add_attachment,
    create,
    edit,
)
from gongkai.catalog.services.publishing import (  # noqa: F401
    _publish,
    check_imported,
    public_url,
    publish_imported,
    refresh_listing,
    reindex,
    withdraw,
)
from gongkai.catalog.services.review import (  # noqa: F401
    _require_reviewer,
    acknowledge,
    approve,
    can_review,
    current_role,
    import_for_review,
    is_author,
    return_for_changes,
    review_queue,
    submit,
)
from gongkai.catalog.services.rules import (  # noqa: F401
    _FORMAT_FIELDS,
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    CONTENT_FIELDS,
    DRAFT_ROLES,
    INDEX_NUMBER_LENGTH,
    REVIEW_ROLES,
    CatalogError,
    _clean_content,
    _locked,
    _recompute_due,
    _record,
    _require_draft_role,
    _state,
    can_draft,
    chain_for,
    change_settings,
    check_chain,
    check_index_format,
    is_overdue,
    may_edit,
    may_submit,
    may_withdraw,
    next_index_number,
    plain_text,
    recalculate_due_dates,
    sanitize,
    settings_for,
    today,
)
from gongkai.catalog.services.scanning import (  # noqa: F401
    _SCANNED_FIELDS,
    _docx_text,
    _public_text,
    acknowledgements,
    describe,
    finding_key,
    findings_of,
    keyed,
    rescan,
    run_scan,
    scan_content,
    scan_text,
    unresolved,
    unscanned_attachments,
)
from gongkai.catalog.services.timeliness import (  # noqa: F401
    late_items,
    published_late,
)
