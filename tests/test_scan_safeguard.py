"""The pre-publication scan as a safeguard (条例第十七条, 保守国家秘密法第三十五条): findings are
marked in place on the item page, found when a draft is saved, acknowledged by every reviewer
at their step, and an item with an unacknowledged finding cannot pass the 保密审查."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.catalog import services
from gongkai.catalog.models import FindingAcknowledgement, Revision, State
from gongkai.history.models import Event
from tests import factories

ID_NUMBER = "11010519491231002X"
MOBILE = "13800138000"
STEPS = ("reviewer1", "reviewer2", "reviewer3", "secrecy")


def data(body: str, **changes) -> dict:
    return {
        "title": "关于发放临时救助金的公示",
        "category": "a20-11",
        "kind": "information",
        "formed_on": dt.date(2026, 9, 28),
        "body": body,
        **changes,
    }


def submitted(county, body=f"救助对象张三，身份证号{ID_NUMBER}，联系电话{MOBILE}。"):
    return factories.submitted_item(county, data(body))


def post_step(client, item, step, **fields):
    return client.post(reverse("office:item_step", args=[item.pk, step]), fields)


def keep_all(county, persona, item, reason="依《社会救助暂行办法》须公示，已核实本人同意"):
    reviewer = getattr(county, persona)
    for finding in services.findings_of(item.draft):
        item = services.acknowledge(
            reviewer, item, key=finding["key"], action="kept", reason=reason
        )
    return item


def test_a_new_users_item_with_an_id_and_a_mobile_cannot_go_live_unacknowledged(county):
    item = submitted(county)
    assert [f["kind"] for f in item.draft.findings] == ["resident_id", "mobile"]
    for persona in STEPS:
        client = county.client_for(getattr(county, persona))
        refused = post_step(client, item, "approve", reason="同意")
        assert refused.status_code == 400
        page = refused.content.decode()
        assert "尚未" in page and "身份证号" in page and "手机号" in page
        item = keep_all(county, persona, item)
        assert post_step(client, item, "approve", reason="同意").status_code == 302
        item.refresh_from_db()
    assert item.state == State.PUBLISHED
    acks = Event.objects.filter(action="item.finding_ack", subject_id=str(item.pk))
    assert acks.count() == 8
    assert all("保留" in e.summary and e.reason for e in acks)
    stored = FindingAcknowledgement.objects.filter(item=item)
    assert stored.count() == 8
    assert {a.reviewer.username for a in stored} == set(STEPS)
    assert all(a.action == "kept" and a.reason and a.at for a in stored)
    assert (
        "身份证号"
        in county.client_for(county.clerk)
        .get(reverse("office:item", args=[item.pk]))
        .content.decode()
    )


def test_the_secrecy_review_names_the_unresolved_findings_and_has_no_bypass(county):
    item = submitted(county)
    for persona in STEPS[:3]:
        item = services.approve(getattr(county, persona), keep_all(county, persona, item))
    first = services.findings_of(item.draft)[0]
    item = services.acknowledge(
        county.secrecy, item, key=first["key"], action="kept", reason="须公示"
    )
    with pytest.raises(services.CatalogError, match="保密审查不能通过") as refused:
        services.approve(county.secrecy, item, reason="同意")
    assert "手机号" in str(refused.value) and "138****8000" in str(refused.value)
    response = post_step(
        county.client_for(county.secrecy), item, "approve", findings_reason="确需发布"
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW


def test_keeping_a_finding_needs_a_reason_and_a_present_finding_is_not_removed(county):
    item = submitted(county)
    key = services.findings_of(item.draft)[0]["key"]
    with pytest.raises(services.CatalogError, match="理由"):
        services.acknowledge(county.reviewer1, item, key=key, action="kept", reason=" ")
    with pytest.raises(services.CatalogError, match="仍有"):
        services.acknowledge(county.reviewer1, item, key=key, action="removed")
    client = county.client_for(county.reviewer1)
    assert (
        post_step(
            client, item, "acknowledge", key="nonsense", action="kept", reason="x"
        ).status_code
        == 400
    )
    assert post_step(client, item, "acknowledge", key=key, action="maybe").status_code == 400
    assert not FindingAcknowledgement.objects.exists()


def test_acknowledgement_by_someone_not_at_the_step_is_refused(county):
    item = submitted(county)
    key = services.findings_of(item.draft)[0]["key"]
    for person in (county.reviewer2, county.secrecy, county.clerk):
        with pytest.raises(PermissionDenied):
            services.acknowledge(person, item, key=key, action="kept", reason="须公示")
        response = post_step(
            county.client_for(person), item, "acknowledge", key=key, action="kept", reason="须公示"
        )
        assert response.status_code == 403
    assert not FindingAcknowledgement.objects.exists()


def test_the_scan_runs_when_a_draft_is_saved_and_a_rescan_clears_a_removed_finding(county):
    item = factories.item_draft(county, data(f"电话{MOBILE}，身份证号{ID_NUMBER}"))
    assert {f["kind"] for f in item.draft.findings} == {"mobile", "resident_id"}
    item = services.submit(county.clerk, item)
    item = keep_all(county, "reviewer1", item)
    item = services.return_for_changes(county.reviewer1, item, "手机号应删除")
    item = services.edit(county.clerk, item, data(f"身份证号{ID_NUMBER}"))
    assert [f["kind"] for f in item.draft.findings] == ["resident_id"]
    page = county.client_for(county.clerk).get(reverse("office:item", args=[item.pk]))
    assert MOBILE not in page.content.decode()
    item = services.submit(county.clerk, item)
    # The earlier round's acknowledgements were for the earlier text: this round needs its own.
    with pytest.raises(services.CatalogError, match="身份证号"):
        services.approve(county.reviewer1, item)


def test_a_finding_removed_while_in_review_is_acknowledged_as_removed(county):
    settings = services.settings_for(county.civil)
    services.change_settings(
        county.admin,
        county.civil,
        chain=[r.value for r in services.chain_for(county.civil)],
        index_format=settings.index_format,
        sensitive_words="救助金",
    )
    item = submitted(county, body="临时救助金发放名单见附件。")
    finding = services.findings_of(item.draft)[0]
    assert finding["kind"] == "sensitive_word"
    services.change_settings(
        county.admin,
        county.civil,
        chain=[r.value for r in services.chain_for(county.civil)],
        index_format=settings.index_format,
        sensitive_words="",
    )
    item = services.acknowledge(county.reviewer1, item, key=finding["key"], action="removed")
    item = services.approve(county.reviewer1, item)
    ack = FindingAcknowledgement.objects.get()
    assert (ack.action, ack.reviewer, ack.kind) == ("removed", county.reviewer1, "sensitive_word")
    assert item.draft.findings == []


def test_marks_on_the_page_are_in_place_labelled_linked_and_escaped(county):
    hostile = "<script>alert(1)</script>"
    item = factories.item_draft(county, data("x"))
    # The body is sanitised HTML; the title is plain text that the scan also reads.
    item = services.edit(
        county.clerk,
        item,
        data(f"联系电话{MOBILE}", title=f"{hostile}“秘密★1年”<b>公示</b>"),
    )
    item = services.submit(county.clerk, item)
    page = county.client_for(county.reviewer1).get(reverse("office:item", args=[item.pk]))
    text = page.content.decode()
    assert "字起" not in text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert '<mark id="finding-1" class="finding" tabindex="-1">' in text
    assert '<span class="finding-label">密级标志1</span>秘密★1年</mark>' in text
    assert f'<span class="finding-label">手机号2</span>{MOBILE}</mark>' in text
    assert 'href="#finding-1"' in text and 'href="#finding-2"' in text
    assert "style=" not in text.split('class="findings"')[1].split("</section>")[0]
    assert "onclick" not in text


def test_an_existing_draft_gets_its_findings_computed(county):
    item = factories.item_draft(county, data(f"身份证号{ID_NUMBER}"))
    Revision.objects.filter(pk=item.draft_id).update(findings=[])  # as saved before the change
    from importlib import import_module

    from django.apps import apps

    migration = import_module("gongkai.catalog.migrations.0006_scan_existing_drafts")
    migration.scan_drafts(apps, None)
    item.draft.refresh_from_db()
    assert [f["kind"] for f in item.draft.findings] == ["resident_id"]
    assert item.draft.findings[0]["key"].startswith("resident_id-")
