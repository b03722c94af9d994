"""The pre-publication scan of a revision or of content not yet saved, and the findings each
reviewer acknowledges."""

from __future__ import annotations

import hashlib

from gongkai.agencies.models import Agency, Role
from gongkai.catalog.models import (
    FindingAcknowledgement,
    Revision,
)
from gongkai.catalog.services.rules import (
    plain_text,
    settings_for,
)

_SCANNED_FIELDS = ("title", "document_number", "publisher", "topic", "keywords", "summary", "body")


def _public_text(content: dict) -> list[str]:
    return [
        *(content.get(f) or "" for f in _SCANNED_FIELDS[:-1]),
        plain_text(content.get("body") or ""),
    ]


def scan_content(agency: Agency, content: dict) -> list[dict]:
    """The findings in content not yet saved (a row to import): the same scan as
    ``run_scan``, of the same fields."""
    from gongkai.scan import scan

    words = [w.strip() for w in settings_for(agency).sensitive_words.splitlines() if w.strip()]
    text = "\n".join(p for p in _public_text(content) if p)
    return keyed([f.as_json() for f in scan(text, sensitive_words=words)])


def scan_text(revision: Revision) -> str:
    """Every text the public would see: the metadata, the body and the text of DOCX
    attachments (PDFs and images are not read: the reviewers are told so)."""
    parts = _public_text({f: getattr(revision, f) for f in _SCANNED_FIELDS})
    for attachment in revision.attachments.all():
        if attachment.original_name.lower().endswith(".docx"):
            parts.append(_docx_text(attachment))
    return "\n".join(p for p in parts if p)


def _docx_text(attachment) -> str:
    import io

    import docx

    try:
        with attachment.file.open("rb") as handle:
            document = docx.Document(io.BytesIO(handle.read()))
    except Exception:  # a damaged file: the reviewers read it themselves
        return ""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    return "\n".join(lines)


def unscanned_attachments(revision: Revision) -> list[str]:
    return [
        a.original_name
        for a in revision.attachments.all()
        if not a.original_name.lower().endswith(".docx")
    ]


def run_scan(revision: Revision, agency: Agency) -> list[dict]:
    """The findings in the revision's text now, each with its ``key``."""
    from gongkai.scan import scan

    words = [w.strip() for w in settings_for(agency).sensitive_words.splitlines() if w.strip()]
    return keyed([f.as_json() for f in scan(scan_text(revision), sensitive_words=words)])


def rescan(revision: Revision, agency: Agency) -> list[dict]:
    """Scan the revision again and keep the result on it; returns the findings."""
    found = run_scan(revision, agency)
    if found != revision.findings:
        revision.findings = found
        revision.save(update_fields=["findings"])
    return found


def finding_key(kind: str, text: str, occurrence: int) -> str:
    """What names a finding within its revision: its kind, its text and which occurrence of
    that text it is. It does not depend on the position, so an edit elsewhere in the text, or
    a re-scan, keeps the acknowledgements given for it."""
    digest = hashlib.sha256(f"{kind}\0{text}".encode()).hexdigest()[:16]
    return f"{kind}-{digest}-{occurrence}"


def keyed(findings: list[dict]) -> list[dict]:
    """The findings, each with its ``key`` (stored findings of older revisions have none)."""
    seen: dict[tuple[str, str], int] = {}
    out = []
    for finding in findings:
        pair = (str(finding.get("kind", "")), str(finding.get("text", "")))
        seen[pair] = seen.get(pair, 0) + 1
        out.append({**finding, "key": finding_key(*pair, seen[pair])})
    return out


def findings_of(revision: Revision) -> list[dict]:
    return keyed(revision.findings or [])


def acknowledgements(revision: Revision):
    """The acknowledgements of the current round of review of the revision."""
    found = FindingAcknowledgement.objects.filter(revision=revision).select_related("reviewer")
    if revision.submitted_at is not None:
        found = found.filter(at__gte=revision.submitted_at)
    return found.order_by("at", "id")


def unresolved(revision: Revision, role: Role, findings: list[dict] | None = None) -> list[dict]:
    """The findings the holder of ``role`` has not yet acknowledged in this round."""
    findings = findings_of(revision) if findings is None else findings
    done = set(acknowledgements(revision).filter(role=role).values_list("key", flat=True))
    return [f for f in findings if f["key"] not in done]


def describe(findings: list[dict]) -> str:
    from gongkai.scan import LABELS

    return "、".join(
        f"{LABELS.get(f.get('kind'), f.get('kind'))}“{f.get('masked')}”" for f in findings
    )
