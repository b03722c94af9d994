"""Existing drafts get their findings the way a saved draft does now: the pre-publication scan
over the same text, each finding with its key (catalog.services.run_scan). Published
revisions keep what was found when they were reviewed; nothing is deleted."""

from django.db import migrations


def scan_drafts(apps, schema_editor):
    from gongkai.catalog import services
    from gongkai.scan import scan

    Item = apps.get_model("catalog", "Item")
    CatalogSettings = apps.get_model("catalog", "CatalogSettings")
    words_of = {
        s.agency_id: [w.strip() for w in s.sensitive_words.splitlines() if w.strip()]
        for s in CatalogSettings.objects.all()
    }
    for item in Item.objects.filter(draft__isnull=False).select_related("draft").iterator():
        revision = item.draft
        words = words_of.get(item.agency_id, [])
        found = [f.as_json() for f in scan(services.scan_text(revision), sensitive_words=words)]
        found = services.keyed(found)
        if found != revision.findings:
            revision.findings = found
            revision.save(update_fields=["findings"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_finding_acknowledgement"),
    ]

    operations = [
        migrations.RunPython(scan_drafts, migrations.RunPython.noop),
    ]
