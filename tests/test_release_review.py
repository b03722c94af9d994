"""The review before a reply discloses anything (条例第十七条, 保守国家秘密法第三十五条;
gongkai.applications.release, docs/law/release.md): information provided to an applicant is a
catalog item of the agency, through the agency's review chain ending in 保密审查, with the
pre-publication scan over its text and files, before the reply can be sent. Through the
services and through the pages."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import intake, release, services
from gongkai.applications.models import Channel, Status
from gongkai.catalog import services as catalog
from gongkai.catalog.models import Disclosure, Item, State
from gongkai.history.models import Event
from tests import factories
from tests.conftest import pass_release

D = dt.date
ID_NUMBER = "11010519491231002X"
DATA = {
    "applicant_type": "natural_person",
    "name": "张三",
    "phone": "13800138000",
    "address": "测试县幸福路8号",
    "description": "2025年度城乡低保资金发放明细\n请邮寄纸质件。",
    "delivery": "paper",
}
PROVIDED = {
    "disclosure": "provided",
    "provision_form": "paper",
    "provision_route": "邮寄至您的通信地址（测试县幸福路8号）",
}
PUBLISHED = {
    "disclosure": "published",
    "provision_form": "paper",
    "provision_route": "本机关门户网站“法定主动公开内容”栏目",
}
CATALOG_DATA = {
    "title": "2025年度城乡低保资金发放汇总表",
    "category": "a20-11",
    "kind": "document",
    "formed_on": D(2026, 3, 2),
}


def new_case(county, agency=None, clerk=None):
    received = services.today() - dt.timedelta(days=3)
    return factories.registered_case(county, DATA, received=received, agency=agency, clerk=clerk)


def decide(county, application=None, outcome="granted", **facts):
    application = application or new_case(county)
    if outcome == "partially_granted":
        facts.setdefault("withheld", [("名单中个人的身份证号码", "withheld_third_party")])
        facts.setdefault("decision_text", "名单中其余内容予以公开。")
    if outcome in ("granted", "partially_granted"):
        facts = {**PROVIDED, **facts}
        facts.setdefault("provision_from", services.today())
    facts.setdefault("decision_text", "")
    return services.decide(
        county.clerk,
        application,
        outcome,
        legal_basis=facts.pop("legal_basis", ""),
        decided_on=services.today(),
        **facts,
    )


def reply(county, application):
    return services.reply(county.clerk, application, services.today(), "paper")


def through_chain(county, item, *, keep=""):
    for reviewer in (county.reviewer1, county.reviewer2, county.reviewer3, county.secrecy):
        if keep:
            for finding in catalog.findings_of(item.draft):
                item = catalog.acknowledge(
                    reviewer, item, key=finding["key"], action="kept", reason=keep
                )
        item = catalog.approve(reviewer, item)
    return item


def docx_file(text: str, name="发放明细（已隐去）.docx"):
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def item_data(item) -> dict:
    revision = item.current
    return {f: getattr(revision, f) for f in catalog.CONTENT_FIELDS}


# --- the rule, through the services -------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["granted", "partially_granted"])
def test_a_reply_that_provides_information_needs_a_released_item(county, outcome):
    application = decide(county, outcome=outcome)
    with pytest.raises(services.CaseError) as caught:
        reply(county, application)
    message = str(caught.value)
    assert "条例第十七条" in message and "保守国家秘密法》第三十五条" in message
    assert "起草或关联本机关目录中的信息" in message
    application.refresh_from_db()
    assert application.status == Status.DECIDED and application.replied_on is None
    assert not Event.objects.filter(action="application.reply").exists()


def test_a_new_item_starts_from_the_case_as_information_on_request(county):
    application = decide(county)
    item = release.start_item(county.clerk, application)
    revision = item.draft
    assert item.agency == county.civil and item.state == State.DRAFT
    assert revision.title == "2025年度城乡低保资金发放明细"  # the first line of the request
    assert revision.disclosure == Disclosure.ON_REQUEST
    assert application.tracking_number in revision.nondisclosure_basis
    assert list(application.released_items.all()) == [item]
    assert list(item.released_by.all()) == [application]
    event = Event.objects.get(action="application.release_start")
    assert event.subject_id == str(application.pk) and "保密审查" in event.summary
    assert Event.objects.filter(action="item.create", subject_id=str(item.pk)).exists()


def test_the_reply_waits_while_an_item_is_in_review_and_names_the_step(county):
    application = decide(county)
    item = release.start_item(county.clerk, application, title="低保资金发放明细")
    with pytest.raises(services.CaseError, match="草稿，尚未提交审核"):
        reply(county, application)
    item = catalog.submit(county.clerk, item)
    item = catalog.approve(county.reviewer1, item)
    with pytest.raises(services.CaseError) as caught:
        reply(county, application)
    message = str(caught.value)
    assert "《低保资金发放明细》" in message
    assert "当前环节：复审人（第 2 个环节，共 4 个）" in message
    assert "尚未通过的 1 条" in message
    for reviewer in (county.reviewer2, county.reviewer3):
        item = catalog.approve(reviewer, item)
    with pytest.raises(services.CaseError, match="当前环节：保密审查人"):
        reply(county, application)
    item = catalog.approve(county.secrecy, item)
    assert item.state == State.PUBLISHED and not item.is_public and not item.listed
    application = reply(county, application)
    assert application.status == Status.REPLIED


def test_an_id_number_in_a_released_file_must_be_answered_at_the_secrecy_review(county):
    application = decide(county, outcome="partially_granted")
    item = release.start_item(county.clerk, application)
    item = catalog.edit(
        county.clerk,
        item,
        item_data(item),
        attachments=[docx_file(f"发放明细：张三 {ID_NUMBER} 600元")],
    )
    item = catalog.submit(county.clerk, item)
    assert [f["kind"] for f in item.draft.findings] == ["resident_id"]
    for reviewer in (county.reviewer1, county.reviewer2, county.reviewer3):
        key = item.draft.findings[0]["key"]
        item = catalog.acknowledge(reviewer, item, key=key, action="kept", reason="须核对")
        item = catalog.approve(reviewer, item)
    with pytest.raises(catalog.CatalogError, match="保密审查不能通过"):
        catalog.approve(county.secrecy, item)
    with pytest.raises(services.CaseError, match="当前环节：保密审查人"):
        reply(county, application)
    item = catalog.acknowledge(
        county.secrecy,
        item,
        key=item.draft.findings[0]["key"],
        action="kept",
        reason="申请人本人的信息，向本人提供",
    )
    item = catalog.approve(county.secrecy, item)
    assert item.state == State.PUBLISHED
    assert reply(county, application).status == Status.REPLIED


def test_an_id_number_in_the_text_is_found_too(county):
    application = decide(county)
    item = release.start_item(county.clerk, application)
    item = catalog.edit(county.clerk, item, {**item_data(item), "body": f"领取人 {ID_NUMBER}"})
    item = catalog.submit(county.clerk, item)
    with pytest.raises(catalog.CatalogError, match="逐项确认"):
        catalog.approve(county.reviewer1, item)
    through_chain(county, item, keep="向申请人本人提供")
    assert reply(county, application).status == Status.REPLIED


def test_every_linked_item_must_be_through(county):
    application = decide(county)
    pass_release(county, application)
    second = release.start_item(county.clerk, application, title="发放依据")
    with pytest.raises(services.CaseError) as caught:
        reply(county, application)
    assert "《发放依据》：草稿" in str(caught.value)
    assert "《提供的政府信息》" not in str(caught.value)  # the one through is not listed
    release.unlink_item(county.clerk, application, second)
    assert reply(county, application).status == Status.REPLIED
    assert Item.objects.filter(pk=second.pk).exists()  # unlinked, still in the catalog


def test_a_published_item_under_revision_is_not_through(county):
    application = decide(county)
    item = pass_release(county, application)
    catalog.edit(county.clerk, item, {**item_data(item), "summary": "增加说明"})
    with pytest.raises(services.CaseError, match="已发布的文本正在修订"):
        reply(county, application)


def test_information_already_published_needs_no_release(county):
    application = decide(county, **PUBLISHED)
    assert release.blocking(application) == ""
    assert reply(county, application).status == Status.REPLIED


def test_granted_on_the_spot_is_of_published_information_and_replies(county):
    application, _ = intake.answer_on_the_spot(
        county.clerk,
        county.civil,
        DATA,
        channel=Channel.IN_PERSON,
        submitted_on=services.today(),
        outcome="granted",
        provision_form="paper",
        provision_route="本机关门户网站，已当场打印交申请人",
    )
    application.refresh_from_db()
    assert application.disclosure == "published" and application.status == Status.REPLIED
    with pytest.raises(services.CaseError, match="不能当场答复"):
        intake.answer_on_the_spot(
            county.clerk,
            county.civil,
            DATA,
            channel=Channel.IN_PERSON,
            submitted_on=services.today(),
            outcome="partially_granted",
        )


@pytest.mark.parametrize(
    ("outcome", "facts"),
    [
        ("unable_not_exist", {"decision_text": "经检索，本机关未制作、获取该信息。"}),
        ("withheld_third_party", {"decision_text": "涉及第三方个人隐私。"}),
    ],
)
def test_outcomes_that_disclose_nothing_are_unaffected(county, outcome, facts):
    application = decide(county, outcome=outcome, **facts)
    assert release.blocking(application) == ""
    with pytest.raises(services.CaseError, match="答复不提供政府信息"):
        release.start_item(county.clerk, application)
    assert reply(county, application).status == Status.REPLIED


def test_only_the_agencys_own_items_never_withdrawn(county):
    application = new_case(county)
    foreign = catalog.create(county.other_clerk, county.finance, CATALOG_DATA)
    with pytest.raises(services.CaseError, match="不在测试县民政局的目录中"):
        release.link_item(county.clerk, application, foreign)
    own = catalog.create(county.clerk, county.civil, CATALOG_DATA)
    own = through_chain(county, catalog.submit(county.clerk, own))
    catalog.withdraw(county.head, own, "已废止")
    with pytest.raises(services.CaseError, match="已撤销"):
        release.link_item(county.clerk, application, own)
    assert not application.released_items.exists()
    mine = catalog.create(county.clerk, county.civil, {**CATALOG_DATA, "title": "汇总表"})
    release.link_item(county.clerk, application, mine)
    with pytest.raises(services.CaseError, match="已经关联"):
        release.link_item(county.clerk, application, mine)
    assert list(application.released_items.all()) == [mine]
    assert Event.objects.filter(action="application.release_link").count() == 1


def test_only_the_case_handlers_release(county):
    application = decide(county)
    for person in (county.reviewer1, county.secrecy, county.other_clerk, county.outsider):
        with pytest.raises(PermissionDenied):
            release.start_item(person, application)
    assert not Item.objects.exists()


def test_what_was_released_is_fixed_once_replied(county):
    application = decide(county)
    item = pass_release(county, application)
    reply(county, application)
    with pytest.raises(services.CaseError, match="不再改动"):
        release.unlink_item(county.clerk, application, item)
    with pytest.raises(services.CaseError, match="已答复"):
        release.start_item(county.clerk, application)


# --- through the pages ------------------------------------------------------------------------


def step_url(application, step):
    return reverse("office:case_step", args=[application.pk, step])


def test_the_case_page_starts_lists_and_blocks(county):
    application = decide(county)
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "起草提供的信息" in page and "关联目录中的信息" in page
    assert "请在“提供的信息”中起草或关联" in page  # the reply step says why it is blocked

    response = client.post(step_url(application, "release_new"), {"title": "低保发放明细"})
    item = Item.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("office:item_edit", args=[item.pk])
    assert item.draft.title == "低保发放明细"

    # The files are uploaded in the catalog's editor, which scans them.
    edit = client.post(
        reverse("office:item_edit", args=[item.pk]),
        {
            **{k: v for k, v in item_data(item).items() if v is not None},
            "attachments": docx_file(f"张三 {ID_NUMBER}"),
        },
    )
    assert edit.status_code == 302, edit.content.decode()[:2000]
    item.refresh_from_db()
    assert [f["kind"] for f in item.draft.findings] == ["resident_id"]
    assert item.draft.attachments.count() == 1

    item_page = client.get(reverse("office:item", args=[item.pk])).content.decode()
    assert f"申请 {application.tracking_number}" in item_page
    assert reverse("office:case", args=[application.pk]) in item_page

    client.post(reverse("office:item_step", args=[item.pk, "submit"]))
    item.refresh_from_db()
    assert item.state == State.IN_REVIEW

    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert reverse("office:item", args=[item.pk]) in page
    assert "当前环节：初审人" in page

    blocked = client.post(
        step_url(application, "reply"),
        {"replied_on": services.today(), "method": "paper", "confirm": "on"},
    )
    assert blocked.status_code == 400
    assert "当前环节：初审人" in blocked.content.decode()
    application.refresh_from_db()
    assert application.status == Status.DECIDED

    item = through_chain(county, item, keep="向申请人本人提供")
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "已通过审核流程和保密审查" in page and "release-blocking" not in page
    done = client.post(
        step_url(application, "reply"),
        {"replied_on": services.today(), "method": "paper", "confirm": "on"},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REPLIED


def test_linking_and_unlinking_through_the_page(county):
    application = decide(county)
    client = county.client_for(county.clerk)
    foreign = catalog.create(county.other_clerk, county.finance, CATALOG_DATA)
    refused = client.post(step_url(application, "release_link"), {"item": str(foreign.pk)})
    assert refused.status_code == 400
    # Another agency's item and no item at all get the same answer: the form tells nothing
    # of other catalogs.
    assert f"测试县民政局的目录中没有索引号或编号为“{foreign.pk}”的信息" in refused.content.decode()
    missing = client.post(step_url(application, "release_link"), {"item": "no-such-number"})
    assert missing.status_code == 400
    assert "测试县民政局的目录中没有索引号或编号为“no-such-number”" in missing.content.decode()
    assert not application.released_items.exists()

    own = through_chain(
        county,
        catalog.submit(county.clerk, catalog.create(county.clerk, county.civil, CATALOG_DATA)),
    )
    linked = client.post(step_url(application, "release_link"), {"item": own.index_number})
    assert linked.status_code == 302
    assert list(application.released_items.all()) == [own]

    # Someone who only reads the case sees the list but cannot unlink.
    other = county.client_for(county.supervisor)
    assert (
        "取消关联" not in other.get(reverse("office:case", args=[application.pk])).content.decode()
    )
    assert other.post(step_url(application, "release_unlink"), {"item": own.pk}).status_code == 403
    unlinked = client.post(step_url(application, "release_unlink"), {"item": own.pk})
    assert unlinked.status_code == 302 and not application.released_items.exists()
    again = client.post(step_url(application, "release_unlink"), {"item": own.pk})
    assert again.status_code == 400 and "没有关联到本申请" in again.content.decode()


# --- what may be released, to whom, and when ----------------------------------------------------


def published_item(county, **data):
    item = catalog.create(county.clerk, county.civil, {**CATALOG_DATA, **data})
    return through_chain(county, catalog.submit(county.clerk, item))


def test_the_laws_disclosure_values_are_the_catalogs():
    from gongkai.law import release as law

    assert {law.ON_REQUEST, law.PROACTIVE, law.NOT_PUBLIC} == set(Disclosure.values)
    assert [d for d in Disclosure.values if law.may_release(d)] == [
        Disclosure.PROACTIVE,
        Disclosure.ON_REQUEST,
    ]


def test_an_item_the_catalog_keeps_back_is_never_released(county):
    application = decide(county)
    secret = published_item(
        county,
        title="内部敏感材料",
        disclosure=Disclosure.NOT_PUBLIC,
        nondisclosure_basis="条例第十四条 国家秘密",
    )
    with pytest.raises(services.CaseError, match="公开属性为“不予公开”"):
        release.link_item(county.clerk, application, secret)
    assert not application.released_items.exists()

    # Started as 依申请公开, turned 不予公开 in the editor and through the chain: not through.
    item = release.start_item(county.clerk, application, title="发放明细")
    item = catalog.edit(
        county.clerk,
        item,
        {**item_data(item), "disclosure": Disclosure.NOT_PUBLIC, "nondisclosure_basis": "第十四条"},
    )
    item = through_chain(county, catalog.submit(county.clerk, item))
    assert item.state == State.PUBLISHED
    assert not release.passed(item)
    with pytest.raises(services.CaseError, match="目录中为“不予公开”"):
        reply(county, application)
    assert Status.DECIDED == type(application).objects.get(pk=application.pk).status


def register_for(county, **data):
    received = services.today() - dt.timedelta(days=1)
    return decide(county, factories.registered_case(county, {**DATA, **data}, received=received))


def test_an_item_reviewed_for_one_applicant_is_not_given_to_another(county):
    person = {"id_type": "resident_id", "id_number": ID_NUMBER}
    first = register_for(county, **person)
    item = pass_release(county, first, title="张三本人的低保档案")
    reply(county, first)
    other = register_for(county, name="李四", id_number="110105194912310038", id_type="resident_id")
    with pytest.raises(services.CaseError) as caught:
        release.link_item(county.clerk, other, item)
    assert f"为申请 {first.tracking_number} 的申请人依申请公开" in str(caught.value)
    assert "起草新的提供的信息" in str(caught.value)
    assert not other.released_items.exists()
    # Nor to a case whose applicant gave no ID number: nothing shows it is the same person.
    unknown = register_for(county)
    with pytest.raises(services.CaseError, match="不能提供给其他申请人"):
        release.link_item(county.clerk, unknown, item)
    # The same applicant asking again may have it.
    again = register_for(county, **person)
    release.link_item(county.clerk, again, item)
    assert reply(county, again).status == Status.REPLIED
    # 主动公开 information is anyone's.
    public = published_item(county, title="低保标准")
    assert public.is_public
    release.link_item(county.clerk, other, public)
    release.link_item(county.clerk, unknown, public)
    assert reply(county, other).status == Status.REPLIED


def test_the_reply_pins_the_revision_it_gave(county):
    application = decide(county)
    item = pass_release(county, application, title="低保资金发放明细")
    given = item.published
    reply(county, application)
    event = Event.objects.get(action="application.reply")
    assert event.after["released"] == [
        {"item": item.pk, "revision": given.pk, "number": given.number, "title": "低保资金发放明细"}
    ]
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert f"低保资金发放明细（第 {given.number} 版）" in page and "答复后已修订" not in page

    item = catalog.edit(county.clerk, item, {**item_data(item), "title": "完全不同的内容"})
    item = through_chain(county, catalog.submit(county.clerk, item))
    assert item.published_id != given.pk
    [row] = release.released(application)
    assert row.given and row.revised and row.title == "低保资金发放明细"
    assert release.revision_given(application, item) == given
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert f"低保资金发放明细（第 {given.number} 版）" in page
    assert "答复后已修订" in page and "完全不同的内容" not in page


def test_the_reply_date_is_never_before_the_secrecy_review(county):
    earlier = services.today() - dt.timedelta(days=2)
    application = services.decide(
        county.clerk,
        new_case(county),
        "granted",
        legal_basis="",
        decision_text="",
        decided_on=earlier,
        **{**PROVIDED, "provision_from": earlier},
    )
    item = release.start_item(county.clerk, application, title="发放明细")
    through_chain(county, catalog.submit(county.clerk, item))  # reviewed today
    with pytest.raises(services.CaseError) as caught:
        services.reply(county.clerk, application, earlier, "paper")
    message = str(caught.value)
    assert f"答复日期（{earlier}）早于提供的信息" in message
    assert f"《发放明细》通过保密审查之日（{services.today()}）" in message
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert services.reply(county.clerk, application, services.today(), "paper").replied_on == (
        services.today()
    )


def test_the_default_title_shows_no_id_number_and_no_name(county):
    application, _ = services.register(
        county.clerk,
        county.civil,
        {
            **DATA,
            "description": f"本人张三（身份证{ID_NUMBER}，电话13800138000）的低保审批档案\n邮寄",
        },
        channel=Channel.IN_PERSON,
        submitted_on=services.today() - dt.timedelta(days=3),
    )
    application = decide(county, application)
    item = release.start_item(county.clerk, application)
    title = item.draft.title
    assert ID_NUMBER not in title and "13800138000" not in title and "张三" not in title
    assert "低保审批档案" in title and "申请人" in title
    for event in Event.objects.all():
        assert ID_NUMBER not in event.summary, event.summary
    supervisor = county.client_for(county.supervisor)
    for url in (
        reverse("office:case", args=[application.pk]),
        reverse("office:items", args=[county.civil.pk]),
        reverse("office:item", args=[item.pk]),
    ):
        response = supervisor.get(url)
        assert response.status_code == 200
        assert ID_NUMBER not in response.content.decode(), url


def test_a_partial_disclosure_is_reviewed_even_of_published_information(county):
    application = decide(county, outcome="partially_granted", **PUBLISHED)
    assert "起草或关联本机关目录中的信息" in release.blocking(application)
    with pytest.raises(services.CaseError, match="保密审查"):
        reply(county, application)
    pass_release(county, application, title="发放明细（已隐去身份证号码）")
    assert reply(county, application).status == Status.REPLIED


def test_a_refusal_cannot_keep_linked_items(county):
    application = new_case(county)
    item = release.start_item(county.clerk, application, title="待提供")
    with pytest.raises(services.CaseError, match="请先取消关联"):
        decide(county, application, outcome="withheld_third_party", decision_text="涉及隐私")
    application.refresh_from_db()
    assert application.outcome == "" and list(application.released_items.all()) == [item]
    release.unlink_item(county.clerk, application, item)
    application = decide(
        county, application, outcome="withheld_third_party", decision_text="涉及隐私"
    )
    assert reply(county, application).status == Status.REPLIED
    page = county.client_for(county.clerk).get(reverse("office:item", args=[item.pk]))
    assert "依申请向申请人提供" not in page.content.decode()


def test_another_agencys_item_and_no_item_get_one_answer(county):
    foreign = catalog.create(county.other_clerk, county.finance, CATALOG_DATA)
    answers = []
    for text in (str(foreign.pk), "99999"):
        with pytest.raises(services.CaseError) as caught:
            release.find_item(text, county.civil)
        answers.append(str(caught.value).replace(text, "N"))
    assert answers[0] == answers[1]
    assert release.find_item(str(foreign.pk), county.finance) == foreign


def test_an_item_made_public_drops_its_on_request_basis(county):
    application = decide(county)
    item = release.start_item(county.clerk, application)
    assert item.draft.nondisclosure_basis.startswith("依申请公开")
    item = catalog.edit(county.clerk, item, {**item_data(item), "disclosure": Disclosure.PROACTIVE})
    assert item.draft.nondisclosure_basis == ""
    item = through_chain(county, catalog.submit(county.clerk, item))
    assert item.is_public and item.published.nondisclosure_basis == ""


def test_table_two_counts_only_information_made_public(county):
    from gongkai.reports import platform

    year = services.today().year
    scope = platform.Scope(county.civil)
    before = platform.documents_counts(scope, year)["normative_documents"]
    application = decide(county)
    item = release.start_item(county.clerk, application)
    item = catalog.edit(
        county.clerk,
        item,
        {**item_data(item), "kind": "normative", "written_on": services.today()},
    )
    item = through_chain(county, catalog.submit(county.clerk, item))
    assert item.state == State.PUBLISHED and not item.is_public
    assert platform.documents_counts(scope, year)["normative_documents"] == before
    published_item(
        county, kind="normative", written_on=services.today(), formed_on=services.today()
    )
    after = platform.documents_counts(scope, year)["normative_documents"]
    assert after["issued"] == before["issued"] + 1
