"""The catalog: drafting, the review chain with its confidentiality review, the scan before
publication, 索引号, revisions, withdrawal, the 20-working-day rule, and the back office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.agencies import codes
from gongkai.agencies.models import Role
from gongkai.catalog import services
from gongkai.catalog.models import CatalogSettings, Disclosure, Item, State
from gongkai.history.models import Event
from tests import factories
from tests.conftest import make_person

D = dt.date
DATA = {
    "title": "关于调整城乡最低生活保障标准的通知",
    "document_number": "云民发〔2026〕12号",
    "category": "a20-11",
    "kind": "normative",
    "formed_on": D(2026, 9, 28),
    "written_on": D(2026, 9, 25),
    "body": "各乡镇：\n\n现将2026年城乡低保标准调整如下。",
}
ID_NUMBER = "11010519491231002X"


def draft(county, **changes):
    return factories.item_draft(county, {**DATA, **changes})


def approve_all(county, item, *, keep_reason=""):
    """Through every step; with ``keep_reason`` each reviewer first keeps every finding."""
    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        reviewer = getattr(county, persona)
        if keep_reason:
            for finding in services.findings_of(item.draft):
                item = services.acknowledge(
                    reviewer, item, key=finding["key"], action="kept", reason=keep_reason
                )
        item = services.approve(reviewer, item)
    return item


def publish(county, item, **kw):
    return approve_all(county, services.submit(county.clerk, item), **kw)


def actions(item):
    return list(
        Event.objects.filter(subject_type__model="item", subject_id=str(item.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- drafting -------------------------------------------------------------------------------


def test_a_draft_is_sanitised_and_due_in_twenty_working_days(county):
    item = draft(county)
    assert item.state == State.DRAFT and item.index_number == ""
    assert item.draft.body == "<p>各乡镇：</p><p>现将2026年城乡低保标准调整如下。</p>"
    html = draft(county, body='<p onclick="x()">正文<script>alert(1)</script></p>').draft.body
    assert html == "<p>正文</p>"
    assert item.draft.publisher == county.civil.name
    # 28 Sep + 20 working days around National Day 2026 (make-up Saturday 10 Oct counts).
    assert item.due_on == D(2026, 10, 30)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": " "}, "名称"),
        ({"category": "nope"}, "类别"),
        ({"formed_on": None}, "形成或变更"),
        ({"disclosure": Disclosure.NOT_PUBLIC}, "依据"),
        ({"validity": "repealed"}, "废止或修改日期"),
    ],
)
def test_bad_drafts_are_explained(county, changes, message):
    with pytest.raises(services.CatalogError, match=message):
        draft(county, **changes)
    assert Item.objects.count() == 0


def test_only_clerks_and_heads_draft(county):
    for persona in ("reviewer1", "secrecy", "admin", "other_clerk", "supervisor"):
        with pytest.raises(PermissionDenied):
            services.create(getattr(county, persona), county.civil, DATA)


# --- the review chain -------------------------------------------------------------------------


def test_the_whole_chain_publishes_with_an_index_number(county):
    item = publish(county, draft(county))
    assert item.state == State.PUBLISHED and item.is_public
    year = services.today().year
    org = codes.organisation_code(county.civil.code)
    assert item.index_number == f"{org}/{year}-00001"
    assert len(item.index_number) == 20  # the national 目录指引's 20 characters
    assert item.published.number == 1 and item.draft is None
    assert [d.role for d in item.decisions.all()] == [
        Role.REVIEWER_1,
        Role.REVIEWER_2,
        Role.REVIEWER_3,
        Role.SECRECY_REVIEWER,
    ]
    assert actions(item) == [
        "item.create",
        "item.submit",
        "item.approve",
        "item.approve",
        "item.approve",
        "item.publish",
    ]


def test_each_step_needs_its_own_role(county):
    item = services.submit(county.clerk, draft(county))
    for persona in ("reviewer2", "secrecy", "head", "other_clerk"):
        with pytest.raises(PermissionDenied):
            services.approve(getattr(county, persona), item)
    item.refresh_from_db()
    assert item.review_step == 0 and item.state == State.IN_REVIEW


def test_nobody_reviews_their_own_draft(county):
    # A township clerk who is also the first reviewer cannot pass their own draft.
    both = make_person("both", county.civil, Role.CLERK, Role.REVIEWER_1)
    item = services.submit(both, services.create(both, county.civil, DATA))
    with pytest.raises(PermissionDenied, match="自己"):
        services.approve(both, item)
    with pytest.raises(PermissionDenied, match="自己"):
        services.return_for_changes(both, item, "x")
    assert not services.can_review(both, item)
    services.approve(county.reviewer1, item)


def test_the_confidentiality_review_cannot_be_skipped(county):
    # An agency that configured a short chain still ends with 保密审查.
    CatalogSettings.objects.create(agency=county.civil, chain=[Role.REVIEWER_1.value])
    assert services.chain_for(county.civil) == [Role.REVIEWER_1, Role.SECRECY_REVIEWER]
    item = services.submit(county.clerk, draft(county))
    item = services.approve(county.reviewer1, item)
    assert item.state == State.IN_REVIEW and not item.is_public
    with pytest.raises(services.CatalogError, match="保密审查不能省略"):
        services.check_chain([Role.REVIEWER_1.value])
    with pytest.raises(services.CatalogError, match="最后"):
        services.check_chain([Role.SECRECY_REVIEWER.value, Role.REVIEWER_1.value])
    item = services.approve(county.secrecy, item)
    assert item.state == State.PUBLISHED


def test_return_needs_a_reason_and_review_starts_again_on_a_new_revision(county):
    item = services.submit(county.clerk, draft(county))
    item = services.approve(county.reviewer1, item)
    with pytest.raises(services.CatalogError, match="理由"):
        services.return_for_changes(county.reviewer2, item, " ")
    item = services.return_for_changes(county.reviewer2, item, "文号有误")
    assert item.state == State.RETURNED
    returned_revision = item.draft
    item = services.edit(county.clerk, item, {**DATA, "document_number": "云民发〔2026〕13号"})
    assert item.draft.number == 2 and item.draft != returned_revision
    item = services.submit(county.clerk, item)
    assert item.review_step == 0
    with pytest.raises(PermissionDenied):
        services.approve(county.reviewer2, item)  # back at 初审
    item = approve_all(county, item)
    assert item.published.document_number == "云民发〔2026〕13号"
    assert item.decisions.filter(outcome="returned", reason="文号有误").exists()


def test_in_review_items_cannot_be_edited(county):
    item = services.submit(county.clerk, draft(county))
    with pytest.raises(services.CatalogError, match="审核中"):
        services.edit(county.clerk, item, DATA)


# --- the scan -------------------------------------------------------------------------------


def test_findings_are_kept_and_each_step_acknowledges_them(county):
    item = draft(county, body=f"申请人张三，身份证号{ID_NUMBER}，电话13800138000。")
    assert {f["kind"] for f in item.draft.findings} >= {"resident_id", "mobile"}  # on save
    item = services.submit(county.clerk, item)
    kinds = {f["kind"] for f in item.draft.findings}
    assert {"resident_id", "mobile"} <= kinds
    with pytest.raises(services.CatalogError, match="逐项确认"):
        services.approve(county.reviewer1, item)
    item = approve_all(county, item, keep_reason="经核实为公示要求公开的信息")
    assert item.state == State.PUBLISHED
    assert "均已逐项确认" in Event.objects.filter(action="item.publish").get().summary
    assert Event.objects.filter(action="item.finding_ack").count() == 4 * len(kinds)


def test_every_reviewer_sees_the_findings_masked(county):
    item = services.submit(county.clerk, draft(county, body=f"身份证号{ID_NUMBER}"))
    page = county.client_for(county.reviewer1).get(reverse("office:item", args=[item.pk]))
    text = page.content.decode()
    assert "发布前检查" in text and "身份证号" in text
    masked = item.draft.findings[0]["masked"]
    assert masked in text


# --- 索引号 ---------------------------------------------------------------------------------


def test_index_numbers_are_unique_and_never_reused(county):
    first = publish(county, draft(county))
    services.withdraw(county.head, first, "内容有误")
    second = publish(county, draft(county, title="第二条"))
    year = services.today().year
    assert first.index_number.endswith(f"/{year}-00001")
    assert second.index_number.endswith(f"/{year}-00002")
    first.refresh_from_db()
    assert first.index_number.endswith("-00001")  # kept by the withdrawn item


def test_a_configured_index_format(county):
    CatalogSettings.objects.create(
        agency=county.civil, index_format="{uscc}-{year}-{serial:04d}", chain=[]
    )
    item = publish(county, draft(county))
    assert item.index_number.startswith(county.civil.code)
    assert item.index_number.endswith(f"-{services.today().year}-0001")
    for bad in ("{code}/{serial}", "{code}/{year}-{serial}-{name}", "{year}{serial:x}", "{"):
        with pytest.raises(services.CatalogError):
            services.check_index_format(bad)


# --- revisions and withdrawal -------------------------------------------------------------


def test_the_public_keeps_the_approved_text_while_a_revision_is_reviewed(county):
    item = publish(county, draft(county))
    item = services.edit(county.clerk, item, {**DATA, "title": "修订后的名称"}, note="更正名称")
    assert item.is_public and item.published.title == DATA["title"]
    assert item.draft.title == "修订后的名称" and item.draft.number == 2
    item = publish(county, item)
    assert item.published.title == "修订后的名称" and item.draft is None


def test_withdrawal_needs_the_head_and_a_reason(county):
    item = publish(county, draft(county))
    with pytest.raises(PermissionDenied):
        services.withdraw(county.clerk, item, "x")
    with pytest.raises(services.CatalogError, match="理由"):
        services.withdraw(county.head, item, "")
    item = services.withdraw(county.head, item, "政策已调整")
    assert item.state == State.WITHDRAWN and not item.is_public
    assert item.published is not None  # the record stays
    event = Event.objects.get(action="item.withdraw")
    assert event.reason == "政策已调整" and event.actor == county.head
    with pytest.raises(services.CatalogError):
        services.edit(county.clerk, item, DATA)


def test_not_public_items_are_catalogued_but_not_shown(county):
    item = publish(
        county,
        draft(county, disclosure=Disclosure.NOT_PUBLIC, nondisclosure_basis="条例第十六条第二款"),
    )
    assert item.state == State.PUBLISHED and item.index_number and not item.is_public


# --- timeliness -----------------------------------------------------------------------------


def test_late_items(county):
    late = draft(county, formed_on=D(2026, 9, 28))  # due 2026-10-30
    recent = draft(county, formed_on=services.today())
    assert list(services.late_items(county.civil)) == [late]
    published = publish(county, draft(county, formed_on=D(2026, 9, 28)))
    assert list(services.published_late(county.civil)) == [published]
    assert recent not in services.late_items(county.civil)


# --- the back office ------------------------------------------------------------------------


def test_who_edited_a_draft_does_not_find_it_in_their_review_queue(county):
    """The queue (待我审核) follows the rule of the review itself: whoever wrote or edited the
    draft may not review it, so it is not offered to them, and the page says why."""
    editor = make_person("editing_head", county.civil, Role.HEAD, Role.REVIEWER_1)
    item = draft(county)
    services.edit(editor, item, {**DATA, "title": "经负责人修改的标题"})
    item = services.submit(county.clerk, Item.objects.get(pk=item.pk))
    assert services.current_role(item) is Role.REVIEWER_1
    assert item not in services.review_queue(county.civil, editor)
    assert item in services.review_queue(county.civil, county.reviewer1)
    client = county.client_for(editor)
    queue = client.get(reverse("office:items", args=[county.civil.pk]), {"view": "queue"})
    assert "经负责人修改的标题" not in queue.content.decode()
    page = client.get(reverse("office:item", args=[item.pk])).content.decode()
    assert "不能审核自己起草或修改的信息" in page
    with pytest.raises(PermissionDenied, match="不能审核自己起草或修改的信息"):
        services.approve(editor, item)


def test_drafting_and_reviewing_through_the_pages(county):
    clerk = county.client_for(county.clerk)
    response = clerk.post(
        reverse("office:item_create", args=[county.civil.pk]),
        {
            **DATA,
            "formed_on": "2026-09-28",
            "written_on": "",
            "disclosure": "proactive",
            "validity": "in_force",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302
    assert clerk.post(reverse("office:item_step", args=[item.pk, "submit"])).status_code == 302
    reviewer = county.client_for(county.reviewer1)
    queue = reviewer.get(reverse("office:items", args=[county.civil.pk]), {"view": "queue"})
    assert DATA["title"] in queue.content.decode()
    other_queue = county.client_for(county.reviewer2).get(
        reverse("office:items", args=[county.civil.pk]), {"view": "queue"}
    )
    assert DATA["title"] not in other_queue.content.decode()
    bad = county.client_for(county.reviewer2).post(
        reverse("office:item_step", args=[item.pk, "approve"]), {}
    )
    assert bad.status_code == 403
    ok = reviewer.post(reverse("office:item_step", args=[item.pk, "approve"]), {"reason": "同意"})
    assert ok.status_code == 302
    item.refresh_from_db()
    assert item.review_step == 1


def test_a_form_error_keeps_the_input(county):
    response = county.client_for(county.clerk).post(
        reverse("office:item_create", args=[county.civil.pk]),
        {**DATA, "formed_on": "", "disclosure": "proactive", "validity": "in_force"},
    )
    assert response.status_code == 400
    assert DATA["title"] in response.content.decode()
    assert Item.objects.count() == 0


@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "town_clerk", "outsider"])
def test_another_agency_sees_no_item(county, persona):
    item = services.submit(county.clerk, draft(county))
    client = county.client_for(getattr(county, persona))
    for url in (
        reverse("office:items", args=[county.civil.pk]),
        reverse("office:item_create", args=[county.civil.pk]),
        reverse("office:catalog_settings", args=[county.civil.pk]),
        reverse("office:item", args=[item.pk]),
        reverse("office:item_edit", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("office:item_step", args=[item.pk, "approve"])).status_code == 403


def test_settings_only_by_the_agency_admin_and_a_changed_chain_restarts_review(county):
    item = services.approve(county.reviewer1, services.submit(county.clerk, draft(county)))
    url = reverse("office:catalog_settings", args=[county.civil.pk])
    form = {"chain": ["reviewer1"], "index_format": "{code}/{year}-{serial:05d}"}
    assert county.client_for(county.clerk).post(url, form).status_code == 403
    assert county.client_for(county.admin).post(url, form).status_code == 302
    item.refresh_from_db()
    assert item.review_step == 0
    assert services.chain_for(county.civil) == [Role.REVIEWER_1, Role.SECRECY_REVIEWER]
    bad = county.client_for(county.admin).post(url, {**form, "index_format": "{code}"})
    assert bad.status_code == 400 and "{year}" in bad.content.decode()


def test_whoever_edits_a_draft_may_not_review_it(county):
    # Someone with a drafting role and the confidentiality review rewrites the clerk's draft:
    # they are now an author of that text and cannot pass it.
    editor = make_person("editor", county.civil, Role.CLERK, Role.SECRECY_REVIEWER)
    item = services.edit(editor, draft(county), {**DATA, "body": "改写后的正文"})
    item = services.submit(editor, item)
    for persona in ("reviewer1", "reviewer2", "reviewer3"):
        item = services.approve(getattr(county, persona), item)
    with pytest.raises(PermissionDenied, match="自己"):
        services.approve(editor, item)
    # The original writer is still an author too, if they also review.
    assert services.is_author(county.clerk, item.draft)


def test_authors_of_a_returned_draft_stay_authors_of_the_next_revision(county):
    both = make_person("both", county.civil, Role.CLERK, Role.REVIEWER_1)
    item = services.submit(county.clerk, draft(county))
    item = services.return_for_changes(county.reviewer1, item, "补充依据")
    item = services.edit(both, item, {**DATA, "summary": "补充了依据"})  # new revision 2
    assert item.draft.number == 2
    assert services.is_author(county.clerk, item.draft) and services.is_author(both, item.draft)


def test_an_index_format_that_could_overflow_is_refused(county):
    with pytest.raises(services.CatalogError, match="超过 60"):
        services.check_index_format("{uscc}/" + "政府信息公开目录" * 5 + "/{year}-{serial:09d}")
    with pytest.raises(services.CatalogError, match="9 位"):
        services.check_index_format("{code}/{year}-{serial:099d}")


def test_a_change_to_a_published_item_can_be_late_but_a_correction_is_not(county):
    item = publish(county, draft(county, formed_on=services.today()))
    assert list(services.published_late(county.civil)) == []
    # A correction that keeps the formed/changed date: not a late publication.
    item = publish(
        county,
        services.edit(
            county.clerk, item, {**DATA, "formed_on": item.published.formed_on, "title": "更正错字"}
        ),
    )
    assert list(services.published_late(county.civil)) == []
    # A change formed long ago and still unpublished: late, and listed as such.
    item = services.edit(county.clerk, item, {**DATA, "formed_on": D(2026, 9, 28)})
    assert list(services.late_items(county.civil)) == [item]
    item = publish(county, item)
    assert list(services.published_late(county.civil)) == [item]


def test_not_public_items_are_never_late(county):
    publish(
        county,
        draft(
            county,
            formed_on=D(2026, 9, 28),
            disclosure=Disclosure.ON_REQUEST,
            nondisclosure_basis="条例第二十七条",
        ),
    )
    assert list(services.published_late(county.civil)) == []


def test_the_scan_reads_keywords_and_docx_attachments(county, tmp_path):
    import io

    import docx
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = docx.Document()
    document.add_paragraph(f"名单：张三 {ID_NUMBER}")
    buffer = io.BytesIO()
    document.save(buffer)
    item = services.create(
        county.clerk,
        county.civil,
        {**DATA, "keywords": "秘密★1年"},
        attachments=[
            SimpleUploadedFile("名单.docx", buffer.getvalue()),
            SimpleUploadedFile("扫描件.pdf", b"%PDF-1.4 x"),
        ],
    )
    item = services.submit(county.clerk, item)
    kinds = sorted(f["kind"] for f in item.draft.findings)
    assert kinds == ["classification", "resident_id"]
    assert services.unscanned_attachments(item.draft) == ["扫描件.pdf"]


def test_a_publication_date_in_a_year_without_its_notice_is_provisional(county, today_is):
    from gongkai.catalog.models import Item

    today_is(D(2026, 12, 10))

    item = draft(county, formed_on=D(2026, 11, 30))
    # 20 working days from 2026-11-30: 12-28, final; from 12-10 into 2027.
    assert item.due_on == D(2026, 12, 28) and not item.due_on_provisional
    later = draft(county, formed_on=D(2026, 12, 10), title="另一条信息")
    assert later.due_on == D(2027, 1, 8) and later.due_on_provisional
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:items", args=[county.civil.pk]))
        .content.decode()
    )
    assert '2027-01-08<span class="provisional">（暂定）</span>' in page
    assert "2027年的节假日安排尚未公布" in page
    assert not Item(due_on=None).due_on_provisional
