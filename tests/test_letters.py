"""Letters of a case: which exist when, what they say, the files, the templates and who may do
what with them."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
import zlib

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from gongkai.agencies.models import Agency
from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    Channel,
    ConsultationResult,
    FeeMethod,
    PauseKind,
)
from gongkai.history.models import Event
from gongkai.law import outcomes, periods
from gongkai.letters import defaults, documents, placeholders
from gongkai.letters.models import Kind, LetterTemplate
from tests import factories

ID_NUMBER = "11010519491231002X"
PHONE = "13800138000"
DATA = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": ID_NUMBER,
    "phone": PHONE,
    "email": "zhangsan@example.org",
    "address": "测试县幸福路8号",
    "postcode": "100000",
    # The applicant wrote their ID number into the request: it must not reach a letter either.
    "description": f"本人（身份证号 {ID_NUMBER}）的最低生活保障审批材料",
    "delivery": "email",
}
RECEIVED = dt.date(2026, 9, 28)
WITHHELD_CLAUSE = "应当自收到本答复之日起60日内先向测试县人民政府申请行政复议"
TWO_ROUTE = "也可以自收到本答复之日起6个月内向"
# 部分公开 withholding under 第十四条至第十六条: reconsideration first for that part only.
PARTIAL_CLAUSE = (
    "如对本答复中不予公开的部分不服，应当自收到本答复之日起60日内先向测试县人民政府申请行政复议"
)
OTHER_CONTENT = "对本答复的其他内容不服的，可以自收到本答复之日起60日内向测试县人民政府申请行政复议"


def text_of(letter: documents.Letter) -> str:
    return "\n".join([letter.title, letter.recipient, *letter.paragraphs, letter.date_line])


def new_case(county, **kw):
    received = kw.pop("submitted_on", RECEIVED)
    return factories.registered_case_and_code(county, DATA, received=received, **kw)


def decided(county, outcome, text="理由见正文。", basis="", **facts):
    application, _ = new_case(county)
    if outcome == "partially_granted":
        facts.setdefault("withheld", [("第三页中个人的身份证号码", "withheld_third_party")])
    if outcome in ("granted", "partially_granted"):
        # How, where and when (条例第三十六条第（二）项, 第四十条): by e-mail, as asked.
        facts.setdefault("disclosure", "provided")
        facts.setdefault("provision_form", "email")
        facts.setdefault("provision_route", "发送至申请人登记的电子邮箱")
        facts.setdefault("provision_from", dt.date(2026, 10, 12))
    if outcome == "withheld_administrative_query" and not basis:
        basis = (
            "《中华人民共和国政府信息公开条例》第三十六条第（七）项、"
            "《不动产登记暂行条例》第二十七条"
        )
    return services.decide(
        county.clerk,
        application,
        outcome,
        legal_basis=basis,
        decision_text=text,
        decided_on=dt.date(2026, 10, 12),
        **facts,
    )


@pytest.fixture
def full_case(county):
    """A case that went through every step: 补正, 征求第三方意见, 延期, 收费, 不予公开."""
    application, _ = new_case(county)
    clerk = county.clerk
    application = services.request_correction(
        clerk,
        application,
        # The clerk numbered the second item: the letter numbers them once.
        ["请写明所需材料的年份", "2、请写明获取信息的方式"],
        deadline=dt.date(2026, 10, 16),
        notice_on=dt.date(2026, 9, 29),
    )
    application = services.receive_correction(clerk, application, dt.date(2026, 10, 12))
    services.start_consultation(
        clerk,
        application,
        PauseKind.THIRD_PARTY,
        "某某物业管理有限公司",
        dt.date(2026, 10, 13),
        received_on=dt.date(2026, 10, 13),
    )
    services.end_consultation(
        clerk, application, dt.date(2026, 10, 20), ConsultationResult.OBJECTED
    )
    application = services.extend(
        county.head,
        application,
        10,
        "所需材料分散在三个年度的档案中，需要逐卷调取。",
        dt.date(2026, 10, 21),
    )
    application = services.issue_fee_notice(
        clerk,
        application,
        FeeMethod.PER_PAGE,
        45,
        dt.date(2026, 10, 22),
        received_on=dt.date(2026, 10, 22),
    )
    application = services.record_payment(clerk, application, dt.date(2026, 10, 26))
    application = services.decide(
        clerk,
        application,
        "withheld_third_party",
        legal_basis="",
        decision_text="第三方不同意公开，且公开会损害其商业秘密。",
        decided_on=dt.date(2026, 10, 28),
    )
    return services.reply(clerk, application, dt.date(2026, 10, 29), "email")


def day(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --- which letters, and what they say ------------------------------------------------------


def test_a_new_case_has_only_its_receipt_and_it_never_shows_the_query_code(county):
    application, code = new_case(county, channel=Channel.POST_ORDINARY)
    assert [k for k, _ in documents.available(application)] == [Kind.RECEIPT]
    letter = documents.render(application, Kind.RECEIPT, query_url="https://gk.example/status/")
    text = text_of(letter)
    assert letter.title == "政府信息公开申请接收回执"
    assert letter.recipient == "张三"
    assert application.tracking_number in text
    assert "收到申请之日：待确认" in text
    assert "https://gk.example/status/" in text
    assert code not in text
    with pytest.raises(documents.LetterNotAvailable):
        documents.render(application, Kind.CORRECTION)


def test_every_step_adds_its_letter_with_the_facts(full_case):
    application = full_case
    assert [k for k, _ in documents.available(application)] == [
        Kind.RECEIPT,
        Kind.CORRECTION,
        Kind.EXTENSION,
        Kind.CONSULTATION,
        Kind.FEE,
        Kind.REPLY_WITHHELD,
    ]

    receipt = text_of(documents.render(application, Kind.RECEIPT))
    assert f"收到申请之日：{day(RECEIVED)}" in receipt

    correction = documents.render(application, Kind.CORRECTION)
    assert "1. 请写明所需材料的年份" in correction.paragraphs
    assert "2. 请写明获取信息的方式" in correction.paragraphs
    text = text_of(correction)
    assert "请您于2026年10月16日（含当日）前" in text
    assert "视为放弃申请" in text and "第三十条" in text
    assert correction.date_line == "2026年9月29日"

    extension = text_of(documents.render(application, Kind.EXTENSION))
    assert "答复期限延长10个工作日" in extension
    assert "所需材料分散在三个年度的档案中" in extension
    assert f"延长后的答复期限为{day(application.reply_due)}" in extension
    assert "负责人同意" in extension and "第三十三条第二款" in extension

    consultation = documents.render(application, Kind.CONSULTATION)
    pause = application.pauses.exclude(kind=PauseKind.FEE).get()
    text = text_of(consultation)
    assert consultation.recipient == "某某物业管理有限公司"
    assert "15个工作日" in text and day(pause.answer_due) in text
    assert "第三十二条" in text and "由本机关依照条例的规定决定是否公开" in text
    assert "视为同意公开" not in text
    # Written to the third party: the applicant stays anonymous.
    assert "张三" not in text and "幸福路" not in text

    fee = text_of(documents.render(application, Kind.FEE))
    assert "收费方式：按量计收" in fee
    assert "计费数量：45页（本次提供的政府信息共45页；30页以下（含30页）的不收费）" in fee
    # No 缴纳方式 in the agency's data: the notice can only refer to the office, and says so.
    assert "缴纳方式：请与" in fee
    assert any("缴纳方式" in w for w in documents.render(application, Kind.FEE).warnings)
    assert f"收费金额：{application.fee_amount}元" in fee and application.fee_amount == 150
    assert "国办函〔2020〕109号" in fee
    assert (
        f"请您自收到本通知的次日起20个工作日内缴纳上述费用，即不晚于{day(application.fee_due)}。"
        in fee
    )
    assert "逾期未缴纳的，视为放弃申请" in fee

    reply = documents.render(application, Kind.REPLY_WITHHELD)
    text = text_of(reply)
    assert reply.title == "政府信息不予公开告知书"
    assert "本机关决定：不予公开（公开会损害第三方合法权益）。理由如下：" in text
    assert "第十五条" in text
    assert "第三方不同意公开，且公开会损害其商业秘密。" in text
    assert WITHHELD_CLAUSE in text and "第二十三条" in text
    assert TWO_ROUTE not in text
    assert reply.date_line == "2026年10月29日"
    # Procedural letters carry no remedy clause.
    for kind in (Kind.RECEIPT, Kind.CORRECTION, Kind.EXTENSION, Kind.FEE):
        assert "行政复议" not in text_of(documents.render(application, kind))


def test_a_silent_co_producing_agency_is_deemed_to_consent(county):
    application, _ = new_case(county)
    services.start_consultation(
        county.clerk, application, PauseKind.CO_AGENCY, "测试县财政局", dt.date(2026, 9, 30)
    )
    text = text_of(documents.render(application, Kind.CONSULTATION))
    assert "第三十四条" in text and "视为同意公开" in text
    assert "由本机关依照条例的规定决定是否公开" not in text


def test_each_outcome_takes_its_own_reply_letter(county):
    expected = {
        "granted": Kind.REPLY_GRANTED,
        "partially_granted": Kind.REPLY_PARTIAL,
        "withheld_state_secret": Kind.REPLY_WITHHELD,
        "withheld_administrative_query": Kind.REPLY_REFERRAL,
        "unable_not_exist": Kind.REPLY_NOT_EXIST,
        "unable_not_held": Kind.REPLY_NOT_HELD,
        "unable_needs_creation": Kind.REPLY_UNABLE,
        "declined_repeated": Kind.REPLY_DECLINED,
        "other_other": Kind.REPLY_OTHER,
    }
    earlier = decided(county, "unable_not_exist", text="经检索未发现。")
    services.reply(county.clerk, earlier, earlier.decided_on, "email")
    for outcome, kind in expected.items():
        text = (
            f"您的申请（编号 {earlier.tracking_number}）本机关已经答复。"
            if outcome == "declined_repeated"
            else "理由见正文。"
        )
        application = decided(
            county, outcome, text=text, basis="依据见正文" if outcome == "other_other" else ""
        )
        assert [k for k, _ in documents.available(application)] == [Kind.RECEIPT, kind]
        letter = documents.render(application, kind)
        assert letter.title == kind.label
        info = application.outcome_info
        assert (info.wording or info.label) in text_of(letter) or outcome in (
            "granted",
            "unable_not_exist",
            "other_other",
        )
    # Every outcome names a letter that exists, with a default wording.
    for info in outcomes.OUTCOMES:
        assert Kind(info.letter) in defaults.BODIES


def test_granted_gets_the_two_route_clause_naming_the_court_if_known(county):
    application = decided(county, "granted", text="请查收附件中的审批表。")
    text = text_of(documents.render(application, Kind.REPLY_GRANTED))
    assert "可以自收到本答复之日起60日内向测试县人民政府申请行政复议" in text
    assert f"{TWO_ROUTE}有管辖权的人民法院提起行政诉讼" in text
    assert "先向" not in text
    assert "请查收附件中的审批表。" in text
    Agency.objects.filter(pk=county.civil.pk).update(court="测试县人民法院")
    application.agency.refresh_from_db()
    text = text_of(documents.render(application, Kind.REPLY_GRANTED))
    assert f"{TWO_ROUTE}测试县人民法院提起行政诉讼" in text


def test_an_empty_answer_leaves_no_empty_paragraph(county):
    application = decided(county, "granted", text="")
    letter = documents.render(application, Kind.REPLY_GRANTED)
    assert all(p.strip() for p in letter.paragraphs)
    assert "本机关决定予以公开" in text_of(letter)


def test_a_partial_disclosure_states_what_is_withheld_and_its_remedy_follows_the_ground(county):
    application = decided(county, "partially_granted", text="其余内容见附件。")
    text = text_of(documents.render(application, Kind.REPLY_PARTIAL))
    assert "不予公开的内容：第三页中个人的身份证号码" in text
    # The ground in the words of the article, not the short label of table 三's row.
    assert (
        "不予公开的理由和依据：公开会损害第三方合法权益（《中华人民共和国政府信息公开条例》"
        "第十五条）" in text
    )
    # Withheld under 第十五条: reconsideration first for the withheld part; the part provided
    # may be contested by either route (法释〔2025〕8号第一条).
    assert PARTIAL_CLAUSE in text and OTHER_CONTENT in text and TWO_ROUTE in text
    assert "第二十三条第一款第（四）项" in text
    assert text.index(PARTIAL_CLAUSE) < text.index(OTHER_CONTENT)
    # Withheld because it is not government information: no refusal, the two routes.
    application = decided(
        county, "partially_granted", withheld=[("第三页中个人的身份证号码", "not_information")]
    )
    text = text_of(documents.render(application, Kind.REPLY_PARTIAL))
    assert TWO_ROUTE in text and "先向" not in text


def test_a_partial_disclosure_needs_the_withheld_part_and_its_ground(county):
    with pytest.raises(services.CaseError, match="须写明不予公开的内容及其理由"):
        decided(county, "partially_granted", withheld=[])
    with pytest.raises(services.CaseError, match="不予公开的内容未填写"):
        decided(county, "partially_granted", withheld=[("", "withheld_third_party")])
    with pytest.raises(services.CaseError, match="须选择理由"):
        decided(county, "partially_granted", withheld=[("身份证号码", "")])
    with pytest.raises(services.CaseError, match="须选择理由"):
        decided(county, "partially_granted", withheld=[("身份证号码", "granted")])
    several = [("身份证号码", "withheld_third_party"), ("会议记录", "")]
    with pytest.raises(services.CaseError, match="第 2 项不予公开的内容（会议记录）须选择理由"):
        decided(county, "partially_granted", withheld=several)
    twice = [("身份证号码", "withheld_third_party"), ("身份证号码。", "withheld_third_party")]
    with pytest.raises(services.CaseError, match=r"第 2 项.*内容和理由都相同"):
        decided(county, "partially_granted", withheld=twice)
    many = [(f"第{n}页", "withheld_third_party") for n in range(1, 8)]
    with pytest.raises(services.CaseError, match="最多分 6 项"):
        decided(county, "partially_granted", withheld=many)
    # A part a law forbids to disclose (第十四条) names that law.
    with pytest.raises(services.CaseError, match="须写明禁止公开该信息的法律"):
        decided(county, "partially_granted", withheld=[("鉴定意见", "withheld_prohibited_by_law")])


def test_a_basis_citing_14_15_16_is_a_refusal_and_cannot_hide_under_another_outcome(county):
    """行政复议法第二十三条第一款第（四）项: a 不予公开 under 第十四条至第十六条 goes to
    reconsideration first, so an answer resting on them must be decided as such."""
    with pytest.raises(services.CaseError, match=r"依据引用了条例第十五条.*不予公开"):
        decided(
            county,
            "other_other",
            text="涉及第三方个人隐私，本机关决定不予公开。",
            basis="《中华人民共和国政府信息公开条例》第十五条",
        )
    # 部分公开: only the articles its withheld parts rest on.
    with pytest.raises(services.CaseError, match=r"第十五条.*请在不予公开的内容中选择"):
        decided(
            county,
            "partially_granted",
            basis="《中华人民共和国政府信息公开条例》第十五条、第三十七条",
            withheld=[("草稿", "not_information")],
        )
    # Another law's article of the same number is that law's.
    application = decided(
        county,
        "withheld_administrative_query",
        text="请向档案馆申请查阅。",
        basis="《中华人民共和国政府信息公开条例》第三十六条第（七）项、《中华人民共和国档案法》第十五条",
    )
    assert application.outcome == "withheld_administrative_query"
    assert outcomes.cited_refusal_articles("条例第十五条、《中华人民共和国档案法》第十四条") == [
        "第十五条"
    ]


def test_several_withheld_parts_each_with_its_ground(county):
    """第三十七条: parts withheld on different grounds are stated one by one, and 复议前置
    follows any part withheld under 第十四条至第十六条 (行政复议法第二十三条第一款第（四）项)."""
    parts = [
        ("会议的内部讨论记录", "withheld_process_information"),
        ("不属于政府信息的草稿", "not_information"),
    ]
    application = decided(county, "partially_granted", withheld=parts)
    assert application.withheld == [
        {"part": "会议的内部讨论记录", "ground": "withheld_process_information"},
        {"part": "不属于政府信息的草稿", "ground": "not_information"},
    ]
    text = text_of(documents.render(application, Kind.REPLY_PARTIAL))
    assert "不予公开的内容：（一）会议的内部讨论记录；\n（二）不属于政府信息的草稿\n" in text
    ground = outcomes.GROUNDS_BY_KEY["withheld_process_information"]
    assert ground.wording and ground.text == ground.wording
    assert f"（一）{ground.wording}（{ground.basis}）；\n（二）不属于政府信息" in text
    assert PARTIAL_CLAUSE in text and OTHER_CONTENT in text
    # No part rests on 第十四条至第十六条: both routes.
    parts = [("不属于政府信息的草稿", "not_information")]
    text = text_of(
        documents.render(decided(county, "partially_granted", withheld=parts), Kind.REPLY_PARTIAL)
    )
    assert TWO_ROUTE in text and "先向" not in text
    # One part on two grounds: stated once, with both.
    parts = [
        ("档案中的鉴定意见", "withheld_third_party"),
        ("档案中的鉴定意见。", "withheld_prohibited_by_law"),
    ]
    basis = (
        "《中华人民共和国政府信息公开条例》第十四条、第十五条、第三十七条，"
        "《中华人民共和国档案法》第二十八条"
    )
    application = decided(county, "partially_granted", basis=basis, withheld=parts)
    text = text_of(documents.render(application, Kind.REPLY_PARTIAL))
    assert "不予公开的内容：档案中的鉴定意见\n" in text
    assert (
        "公开会损害第三方合法权益（《中华人民共和国政府信息公开条例》第十五条）；属于法律" in text
    )


def test_the_decide_form_takes_several_withheld_parts(county):
    application, _ = new_case(county)
    client = county.client_for(county.clerk)
    url = reverse("office:case_step", args=[application.pk, "decide"])
    form = {
        "outcome": "partially_granted",
        "decision_text": "其余内容予以公开。",
        "withheld_part_1": "名单中个人的身份证号码",
        "withheld_ground_1": "withheld_third_party",
        "withheld_part_2": "会议的内部讨论记录",
        "withheld_ground_2": "withheld_process_information",
        "disclosure": "provided",
        "provision_form": "email",
        "provision_route": "发送至申请人登记的电子邮箱",
        "provision_from": "2026-10-12",
        "decided_on": "2026-10-12",
    }
    response = client.post(url, {**form, "withheld_ground_2": ""})
    assert response.status_code == 400
    assert "第 2 项不予公开的内容（会议的内部讨论记录）须选择理由" in response.content.decode()
    application.refresh_from_db()
    assert application.status != "decided"
    response = client.post(url, form)
    assert response.status_code == 302
    application.refresh_from_db()
    assert [p for p, _ in application.withheld_parts] == [
        "名单中个人的身份证号码",
        "会议的内部讨论记录",
    ]
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "不予公开的内容（2）：会议的内部讨论记录" in page


def test_an_administrative_query_is_a_referral_with_both_routes(county):
    """第三十六条第（七）项: told to proceed under the law that governs the information; not a
    refusal, so no 复议前置, although table 三 counts it under 不予公开."""
    application = decided(
        county, "withheld_administrative_query", text="请向不动产登记机构申请查询。"
    )
    letter = documents.render(application, Kind.REPLY_REFERRAL)
    text = text_of(letter)
    assert "不予公开告知书" not in letter.title
    assert "您申请获取的信息属于行政查询事项" in text and "不予公开（" not in text
    assert "依照有关法律、行政法规的规定办理" in text and "不动产登记暂行条例" in text
    assert TWO_ROUTE in text and "先向" not in text
    assert outcomes.row_of("withheld_administrative_query") == "withheld_administrative_query"


def test_an_administrative_query_must_name_the_law_that_governs_it(county):
    with pytest.raises(services.CaseError, match="特别规定的法律、行政法规"):
        decided(
            county,
            "withheld_administrative_query",
            basis="《中华人民共和国政府信息公开条例》第三十六条第（七）项",
        )


def test_information_that_does_not_exist_and_information_held_elsewhere_are_two_letters(county):
    """第三十六条第（四）项 and 第（五）项: their own letters, one row of table 三."""
    gone = decided(county, "unable_not_exist", text="经检索本机关档案和网站，未发现该文件。")
    text = text_of(documents.render(gone, Kind.REPLY_NOT_EXIST))
    assert "该政府信息不存在" in text and "第三十六条第（四）项" in text
    assert "负责公开" not in text
    # Held by another agency of the platform: its name and contact data.
    Agency.objects.filter(pk=county.town.pk).update(phone="0000-7654321", address="某镇某路1号")
    elsewhere = decided(
        county,
        "unable_not_held",
        text="该信息由某镇人民政府制作并保存。",
        responsible_agency=Agency.objects.get(pk=county.town.pk),
    )
    text = text_of(documents.render(elsewhere, Kind.REPLY_NOT_HELD))
    assert (
        f"负责公开该政府信息的行政机关为{county.town.name}（联系电话：0000-7654321，地址：某镇某路1号）"
        in text
    )
    assert "第三十六条第（五）项" in text
    # Or one typed in; or, when none can be determined, the letter says so.
    typed = decided(
        county, "unable_not_held", responsible_agency_text="某市不动产登记中心，电话 0000-1111111"
    )
    assert "某市不动产登记中心，电话 0000-1111111" in text_of(
        documents.render(typed, Kind.REPLY_NOT_HELD)
    )
    unknown = decided(county, "unable_not_held")
    assert "本机关无法确定负责公开该政府信息的行政机关" in text_of(
        documents.render(unknown, Kind.REPLY_NOT_HELD)
    )
    # Not this agency itself.
    with pytest.raises(services.CaseError, match="不能是本机关"):
        decided(county, "unable_not_held", responsible_agency=county.civil)
    # Both are counted in the one row of table 三.
    assert outcomes.row_of("unable_not_exist") == outcomes.row_of("unable_not_held")


def test_refusals_under_14_15_16_go_to_reconsideration_first_and_nothing_else_does(county):
    for info in outcomes.OUTCOMES:
        first = outcomes.review_first(info, [outcomes.GROUNDS_BY_KEY["withheld_third_party"]])
        articles = ("第十四条", "第十五条", "第十六条")
        if info.key == "partially_granted":
            assert first
        else:
            assert first == any(a in info.basis for a in articles), info.key


def test_an_agency_without_reconsideration_body_is_warned_and_nothing_is_invented(county):
    Agency.objects.filter(pk=county.civil.pk).update(reconsideration_body="")
    application = decided(county, "withheld_state_secret", text="属于国家秘密。")
    letter = documents.render(application, Kind.REPLY_WITHHELD)
    text = text_of(letter)
    assert "先向行政复议机关申请行政复议" in text
    assert "测试县人民政府" not in text
    assert letter.warnings and "没有填写行政复议机关" in letter.warnings[0]

    for url in (
        reverse("office:case_letters", args=[application.pk]),
        reverse("office:letter_templates", args=[county.civil.pk]),
    ):
        page = county.client_for(county.clerk).get(url).content.decode()
        assert "没有填写行政复议机关" in page
    assert (
        county.client_for(county.clerk)
        .get(reverse("office:letter_download", args=[application.pk, "reply_withheld", "docx"]))
        .status_code
        == 200
    )


# --- files ---------------------------------------------------------------------------------


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return "\n".join(p.text for p in document.paragraphs)


def test_docx_has_title_number_remedy_and_chinese_fonts(full_case):
    letter = documents.render(full_case, Kind.REPLY_WITHHELD)
    data = documents.to_docx(letter)
    document = Document(io.BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "政府信息不予公开告知书"
    assert document.paragraphs[0].runs[0].bold
    assert paragraphs[1] == "张三："
    text = "\n".join(paragraphs)
    assert full_case.tracking_number in text
    assert WITHHELD_CLAUSE in text
    assert paragraphs[-2:] == ["测试县民政局", "2026年10月29日"]
    assert document.paragraphs[-1].alignment == 2  # right
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = document.paragraphs[2].runs[0]._element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == documents.DOCX_BODY_FONT


def test_no_id_number_and_a_masked_phone_in_any_file(full_case):
    for kind, _title in documents.available(full_case):
        letter = documents.render(full_case, kind)
        data = documents.to_docx(letter)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
        assert ID_NUMBER not in xml and ID_NUMBER.lower() not in xml
        html = documents.to_html(letter)
        assert ID_NUMBER not in html
        assert PHONE not in xml and PHONE not in html
    receipt = documents.render(full_case, Kind.RECEIPT)
    assert "联系电话为：138****8000" in text_of(receipt)
    assert "11*************02X" in text_of(receipt)  # the request's text, masked


def pdf_titles(data: bytes) -> list[str]:
    """The /Title strings of a PDF, read from its (possibly compressed) objects."""
    chunks = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            chunks.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    titles = []
    for chunk in chunks:
        for hexa in re.findall(rb"/Title\s*<([0-9a-fA-F]+)>", chunk):
            titles.append(bytes.fromhex(hexa.decode()).decode("utf-16"))
    return titles


def test_case_data_is_text_in_the_pdf_html_never_markup(county):
    data = {**DATA, "name": "<b>李四</b>", "description": '<img src="file:///etc/passwd">'}
    application, _ = services.register(
        county.clerk, county.civil, data, channel=Channel.IN_PERSON, submitted_on=RECEIVED
    )
    html = documents.to_html(documents.render(application, Kind.RECEIPT))
    assert "<b>李四</b>" not in html and "&lt;b&gt;李四&lt;/b&gt;" in html
    assert "<img" not in html
    assert documents.to_pdf(documents.render(application, Kind.RECEIPT)).startswith(b"%PDF")


def test_pdf_is_a_pdf_with_the_letter_in_it(full_case, tmp_path):
    letter = documents.render(full_case, Kind.CORRECTION)
    data = documents.to_pdf(letter)
    assert data.startswith(b"%PDF")
    # The document title (PDF metadata, UTF-16BE) names the letter and the case.
    assert f"政府信息公开申请补正告知书 {full_case.tracking_number}" in pdf_titles(data)
    # The text itself is stored as glyph ids: read it back with poppler's pdftotext.
    if not shutil.which("pdftotext"):
        if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext not found: install Debian's poppler-utils.")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = re.sub(r"\s+", "", text)
    assert full_case.tracking_number in flat
    assert "请写明所需材料的年份" in flat
    assert "2026年10月16日" in flat or "2026-10-16" in flat
    assert ID_NUMBER not in flat
    assert PHONE not in flat


def test_download_gives_the_file_with_a_chinese_file_name_and_records_nothing(full_case, county):
    client = county.client_for(county.clerk)
    events = Event.objects.count()
    url = reverse("office:letter_download", args=[full_case.pk, "correction", "docx"])
    assert url == f"/office/cases/{full_case.pk}/letters/correction.docx"
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == documents.DOCX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    # RFC 5987: 补正告知书 percent-encoded in UTF-8
    assert "filename*=utf-8''" in disposition.lower()
    assert f"{full_case.tracking_number}-%E8%A1%A5%E6%AD%A3%E5%91%8A%E7%9F%A5%E4%B9%A6.docx" in (
        disposition
    )
    assert "请写明所需材料的年份" in docx_text(response.content)
    assert "no-store" in response["Cache-Control"]

    response = client.get(
        reverse("office:letter_download", args=[full_case.pk, "reply_withheld", "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert Event.objects.count() == events


def test_a_letter_the_case_does_not_need_is_404(county):
    application, _ = new_case(county)
    client = county.client_for(county.clerk)
    for kind in ("fee", "correction", "reply_granted", "nonsense"):
        url = reverse("office:letter_download", args=[application.pk, kind, "docx"])
        assert client.get(url).status_code == 404
    assert client.get(f"/office/cases/{application.pk}/letters/receipt.odt").status_code == 404
    assert client.get(
        reverse("office:letter_download", args=[999999, "receipt", "pdf"])
    ).status_code == (404)


def test_the_case_page_lists_the_available_letters(full_case, county):
    page = county.client_for(county.clerk).get(reverse("office:case_letters", args=[full_case.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("office:letter_download", args=[full_case.pk, "fee", "pdf"]) in html
    assert "reply_granted" not in html


# --- templates -----------------------------------------------------------------------------


def test_every_default_template_uses_only_its_placeholders():
    for kind in Kind:
        assert placeholders.problems(defaults.body(kind), kind) == [], kind
        assert placeholders.problems(defaults.title(kind), kind, body=False) == [], kind
    assert all("{救济途径}" in defaults.body(k) for k in Kind if k.is_reply)
    assert not any("{救济途径}" in defaults.body(k) for k in Kind if not k.is_reply)


def test_placeholders_are_plain_text_not_code():
    found = placeholders.problems("{申请人.__class__}{申请人}{0}", Kind.RECEIPT)
    assert len(found) == 1
    assert "{申请人.__class__}" in found[0] and "{0}" in found[0]
    assert "{申请编号}" in found[0]  # the allowed ones are listed
    assert placeholders.problems("{补正事项}", Kind.RECEIPT)[0].count("不适用于") == 1
    assert placeholders.problems("{申请人}", Kind.CONSULTATION)
    assert "不成对" in placeholders.problems("申请 {申请编号", Kind.RECEIPT)[0]
    # A value is inserted once, never substituted again.
    assert placeholders.substitute("{申请人}", {"申请人": "{申请编号}", "申请编号": "X"}) == (
        "{申请编号}"
    )


def test_paragraphs_join_wrapped_lines_but_keep_numbered_ones():
    text = (
        "第一段第一行\n第一段第二行\n1. 甲\n2. 乙\n\n\n（一）丙\n二、丁\nabc\ndef\n20个工作日\n"
        "3.5万元"
    )
    assert documents.paragraphs(text) == [
        "第一段第一行第一段第二行",
        "1. 甲",
        "2. 乙",
        "（一）丙",
        "二、丁abc def 20个工作日3.5万元",
    ]


def edit_url(county, kind="receipt"):
    return reverse("office:letter_edit", args=[county.civil.pk, kind])


def test_an_unknown_placeholder_is_refused_with_the_allowed_ones(county):
    client = county.client_for(county.admin)
    response = client.post(
        edit_url(county), {"title": "回执", "body": "编号：{申请编码}\n\n收到：{收到日期}"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "{申请编码}" in html and "不能使用的占位符" in html
    assert "{申请编号}" in html  # listed as allowed
    assert not LetterTemplate.objects.exists()
    assert not Event.objects.filter(action="letter_template.update").exists()


def test_an_edited_template_is_used_and_resetting_restores_the_default(county):
    application, _ = new_case(county)
    client = county.client_for(county.admin)
    body = "贵申请（{申请编号}）已于{收到日期}收到。\n\n本局将依法办理。"
    response = client.post(edit_url(county), {"title": "收件回执", "body": body, "save": "1"})
    assert response.status_code == 302
    row = LetterTemplate.objects.get(agency=county.civil, kind=Kind.RECEIPT)
    assert row.updated_by == county.admin
    event = Event.objects.get(action="letter_template.update")
    assert event.agency == county.civil and event.actor == county.admin
    assert event.before["body"] == defaults.body(Kind.RECEIPT)
    assert event.after == {"title": "收件回执", "body": body}

    letter = documents.render(application, Kind.RECEIPT)
    assert letter.title == "收件回执"
    assert letter.paragraphs == [
        f"贵申请（{application.tracking_number}）已于{day(RECEIVED)}收到。",
        "本局将依法办理。",
    ]
    assert documents.available(application) == [(Kind.RECEIPT, "收件回执")]
    download = county.client_for(county.clerk).get(
        reverse("office:letter_download", args=[application.pk, "receipt", "docx"])
    )
    assert "本局将依法办理。" in docx_text(download.content)
    listing = client.get(
        reverse("office:letter_templates", args=[county.civil.pk])
    ).content.decode()
    assert "已修改" in listing

    # Another agency keeps the default.
    other, _ = services.register(
        county.other_clerk, county.finance, DATA, channel=Channel.IN_PERSON, submitted_on=RECEIVED
    )
    assert documents.render(other, Kind.RECEIPT).title == defaults.title(Kind.RECEIPT)

    response = client.post(edit_url(county), {"title": "x", "body": "y", "reset": "1"})
    assert response.status_code == 302
    assert not LetterTemplate.objects.exists()
    reset = Event.objects.get(action="letter_template.reset")
    assert reset.before["body"] == body and reset.after["body"] == defaults.body(Kind.RECEIPT)
    letter = documents.render(application, Kind.RECEIPT)
    assert letter.title == defaults.title(Kind.RECEIPT)
    assert "本局将依法办理。" not in text_of(letter)


def test_saving_the_same_text_records_nothing(county):
    client = county.client_for(county.admin)
    data = {"title": defaults.title(Kind.FEE), "body": defaults.body(Kind.FEE), "save": "1"}
    assert client.post(edit_url(county, "fee"), data).status_code == 302
    assert not LetterTemplate.objects.exists()
    assert not Event.objects.filter(action__startswith="letter_template").exists()


def test_preview_fills_in_a_made_up_case_and_saves_nothing(county):
    client = county.client_for(county.admin)
    response = client.post(
        edit_url(county, "reply_withheld"),
        {"title": "不予公开告知书", "body": "编号{申请编号}。\n\n{救济途径}", "preview": "1"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "编号2026-0000-00000。" in html
    assert "先向测试县人民政府申请行政复议" in html
    assert not LetterTemplate.objects.exists()
    page = client.get(edit_url(county, "consultation") + "?preview=1").content.decode()
    assert "某某有限公司（示例）" in page and "{被征求意见方}" in page


# --- who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "town_clerk", "outsider"])
def test_another_agencys_staff_get_403(full_case, county, persona):
    client = county.client_for(getattr(county, persona))
    download = reverse("office:letter_download", args=[full_case.pk, "receipt", "docx"])
    assert client.get(download).status_code == 403
    assert client.get(reverse("office:case_letters", args=[full_case.pk])).status_code == 403
    assert client.get(reverse("office:letter_templates", args=[county.civil.pk])).status_code == 403
    assert client.get(edit_url(county)).status_code == 403
    response = client.post(edit_url(county), {"title": "t", "body": "b", "save": "1"})
    assert response.status_code == 403
    assert not LetterTemplate.objects.exists()


@pytest.mark.parametrize("persona", ["clerk", "head", "supervisor"])
def test_staff_and_supervisor_may_read_but_not_edit(full_case, county, persona):
    client = county.client_for(getattr(county, persona))
    download = reverse("office:letter_download", args=[full_case.pk, "reply_withheld", "docx"])
    assert client.get(download).status_code == 200
    listing = client.get(reverse("office:letter_templates", args=[county.civil.pk]))
    assert listing.status_code == 200
    assert edit_url(county) not in listing.content.decode()
    assert client.get(edit_url(county)).status_code == 403
    for data in ({"title": "t", "body": "b", "save": "1"}, {"reset": "1"}):
        assert client.post(edit_url(county), data).status_code == 403
    assert not LetterTemplate.objects.exists()


def test_admins_may_edit_and_the_public_is_sent_to_login(county):
    for persona in ("admin", "sysadmin"):
        page = county.client_for(getattr(county, persona)).get(edit_url(county, "reply_partial"))
        assert page.status_code == 200
        assert "{救济途径}" in page.content.decode()
    assert county.client_for(county.admin).get(edit_url(county, "nonsense")).status_code == 404
    # The admin of the county government administers the county, not the civil affairs bureau.
    assert county.client_for(county.county_admin).get(edit_url(county)).status_code == 403
    response = county.client_for(None).get(edit_url(county))
    assert response.status_code == 302 and response.url.startswith(reverse("office:login"))


def test_control_characters_never_break_a_letter(county):
    from gongkai.applications.forms import ApplicationForm
    from gongkai.letters.documents import render, to_docx

    form = ApplicationForm(
        data={
            "applicant_type": "natural_person",
            "name": "张\x01三",
            "id_number": "11010519491231002X",
            "phone": "13800138000",
            "description": "文件\x01名称\x0b",
            "delivery": "pickup",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["description"] == "文件名称"
    # A case saved before the form stripped them (or imported) still gets its letters.
    application, _ = services.submit_online(county.civil, form.cleaned_data)
    Application.objects.filter(pk=application.pk).update(description="旧\x01数据")
    application.refresh_from_db()
    data = to_docx(render(application, "receipt"))
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert application.tracking_number in text and "\x01" not in text


def test_a_reply_template_must_keep_the_remedy_clause():
    assert any(
        "{救济途径}" in m for m in placeholders.problems("{申请人}：经审查……", Kind.REPLY_WITHHELD)
    )
    assert placeholders.problems("{申请人}：经审查……{救济途径}", Kind.REPLY_WITHHELD) == []
    assert placeholders.problems("{申请人}：请补正。", Kind.CORRECTION) == []


# --- dates in a year whose holiday notice is not loaded --------------------------------------

PROVISIONAL = "（2027年节假日安排尚未公布，此日期为暂算，以国务院办公厅公布的放假安排为准）"


@pytest.fixture
def december(today_is):
    today_is(dt.date(2026, 12, 10))


def test_an_extension_written_in_december_states_the_right_provisional_date(county, december):
    # The issue's case: confirmed on 2026-12-02, extended by the head, the letter opened.
    application, _ = new_case(county, channel=Channel.ONLINE)
    application = services.confirm_receipt(county.clerk, application, dt.date(2026, 12, 2))
    assert application.reply_due == dt.date(2026, 12, 30)
    application = services.extend(
        county.head, application, 20, "档案需要调取。", dt.date(2026, 12, 10)
    )
    # 40 working days from 12-02: 12-31 is the 21st, 01-01 元旦, then 01-04..01-28.
    assert application.reply_due == dt.date(2027, 1, 28)
    text = text_of(documents.render(application, Kind.EXTENSION))
    assert f"延长后的答复期限为2027年1月28日{PROVISIONAL}" in text
    assert "自收到申请之日起20个工作日内" not in text


def test_an_extension_during_a_consultation_states_the_date_and_the_pause(county, december):
    application, _ = new_case(county, submitted_on=dt.date(2026, 11, 30))
    services.start_consultation(
        county.clerk,
        application,
        PauseKind.THIRD_PARTY,
        "某公司",
        dt.date(2026, 12, 1),
        received_on=dt.date(2026, 12, 1),
    )
    application = services.extend(county.head, application, 10, "征求意见。", dt.date(2026, 12, 8))
    assert application.reply_due is None  # the pause is open
    text = text_of(documents.render(application, Kind.EXTENSION))
    # No date can be known while the consultation lasts: the period, with the extension in it.
    assert (
        "延长后的答复期限为自收到申请之日起30个工作日内（目前正在征求意见，"
        "具体日期待征求意见结束后确定）。" in text
    )
    consultation = text_of(documents.render(application, Kind.CONSULTATION))
    assert "上述期限的最后一日为2026年12月22日。" in consultation  # within 2026: final


def test_a_fee_notice_reaching_into_the_next_year_says_its_date_is_provisional(county, december):
    application, _ = new_case(county, submitted_on=dt.date(2026, 12, 9))
    application = services.issue_fee_notice(
        county.clerk,
        application,
        FeeMethod.PER_PAGE,
        45,
        dt.date(2026, 12, 10),
        received_on=dt.date(2026, 12, 10),
    )
    text = text_of(documents.render(application, Kind.FEE))
    assert f"即不晚于{day(application.fee_due)}{PROVISIONAL}。" in text


def test_without_a_date_the_period_counts_the_extension_from_the_right_day():
    waiting = Application(
        received_on=dt.date(2026, 9, 28),
        extension_days=20,
        correction_notice_on=dt.date(2026, 9, 29),
    )
    assert placeholders.reply_due_text(waiting) == "自本机关收到补正后的申请之日起40个工作日内"
    unconfirmed = Application(extension_days=0)
    assert placeholders.reply_due_text(unconfirmed) == (
        "自收到申请之日起20个工作日内（收到申请之日待确认）"
    )


def test_the_default_letters_state_the_periods_of_the_law():
    """The periods in the default wording come from gongkai.law.periods, not typed digits."""
    receipt, consultation = defaults.body(Kind.RECEIPT), defaults.body(Kind.CONSULTATION)
    assert f"自收到申请之日起{periods.REPLY_DAYS}个工作日内依法答复" in receipt
    assert f"{periods.CONSULTATION_DAYS}个工作日内" in consultation
    assert f"次日起{periods.FEE_PAYMENT_DAYS}个工作日内缴纳" in defaults.body(Kind.FEE)
    assert not any("[[" in text for text in defaults.BODIES.values())


def test_a_refusal_because_another_law_forbids_it_must_name_that_law(county):
    with pytest.raises(services.CaseError, match="禁止公开该信息的法律、行政法规"):
        decided(county, "withheld_prohibited_by_law")
    application = decided(
        county,
        "withheld_prohibited_by_law",
        basis="《中华人民共和国政府信息公开条例》第十四条、《中华人民共和国统计法》第三十九条",
    )
    text = text_of(documents.render(application, Kind.REPLY_WITHHELD))
    assert "《中华人民共和国统计法》第三十九条" in text


def test_a_refusal_cites_the_article_of_its_reply_and_the_whole_of_article_45(county):
    """第三十六条第（三）项 beside the article of the refusal; the 复议前置 clause also says what
    happens when the reconsideration body does not decide in time (行政诉讼法第四十五条)."""
    application = decided(county, "withheld_third_party")
    text = text_of(documents.render(application, Kind.REPLY_WITHHELD))
    assert "第十五条、第三十六条第（三）项" in text
    assert "行政复议机关逾期不作决定的，可以在复议期满之日起15日内向人民法院提起行政诉讼" in text


def test_an_agency_held_elsewhere_without_contact_data_needs_them_typed(county):
    """第三十六条第（五）项 asks for the name and the contact data."""
    Agency.objects.filter(pk=county.town.pk).update(phone="", address="")
    town = Agency.objects.get(pk=county.town.pk)
    with pytest.raises(services.CaseError, match="没有登记联系电话和地址"):
        decided(county, "unable_not_held", responsible_agency=town)
    application = decided(
        county,
        "unable_not_held",
        responsible_agency=town,
        responsible_agency_text="电话 0000-2222222",
    )
    text = text_of(documents.render(application, Kind.REPLY_NOT_HELD))
    assert f"{town.name}，电话 0000-2222222" in text


def test_a_posted_fee_notice_states_the_period_from_its_receipt(county):
    """Printed before it is sent, the notice cannot know the day it will be received: it says
    how the date is counted (109号第七条) instead of a date counted from the day it was sent."""
    application, _ = new_case(county)
    application = services.issue_fee_notice(
        county.clerk, application, FeeMethod.PER_PAGE, 45, dt.date(2026, 10, 22)
    )
    text = text_of(documents.render(application, Kind.FEE))
    assert f"即不晚于您收到本通知之日后的第{periods.FEE_PAYMENT_DAYS}个工作日" in text
    application = services.record_fee_notice_received(
        county.clerk, application, dt.date(2026, 10, 26)
    )
    text = text_of(documents.render(application, Kind.FEE))
    assert "即不晚于2026年11月" in text


def test_the_letters_state_decisions_in_the_words_of_the_law(county):
    """The table's shorthand ("四类过程性信息", "三安全一稳定") is not what the applicant reads;
    其他处理 speaks to the applicant."""
    process = text_of(
        documents.render(decided(county, "withheld_process_information"), Kind.REPLY_WITHHELD)
    )
    assert "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息" in process
    assert "四类" not in process
    security = text_of(
        documents.render(decided(county, "withheld_security_stability"), Kind.REPLY_WITHHELD)
    )
    assert "公开后可能危及国家安全、公共安全、经济安全、社会稳定" in security
    assert "三安全一稳定" not in security
    for info in outcomes.OUTCOMES:
        assert "申请人" not in result_wording(info), info.key


def result_wording(info) -> str:
    from gongkai.letters.placeholders import result_text

    return result_text(info)


def test_a_per_item_fee_notice_says_how_to_pay_and_why_it_is_charged(county):
    """国办函〔2020〕109号第七条: the notice states basis, standard, amount and how to pay; 按件
    counts the applicant's items of the calendar month (第四条)."""
    Agency.objects.filter(pk=county.civil.pk).update(
        fee_payment="凭本通知书上的非税收入缴款码，通过银行柜台或网上银行缴纳。"
    )
    first, _ = new_case(county, submitted_on=dt.date(2026, 10, 9))
    Application.objects.filter(pk=first.pk).update(item_count=12)
    application, _ = new_case(county, submitted_on=dt.date(2026, 10, 12))
    application = services.issue_fee_notice(
        county.clerk,
        application,
        FeeMethod.PER_ITEM,
        3,
        dt.date(2026, 10, 13),
        received_on=dt.date(2026, 10, 13),
    )
    assert application.fee_amount == 300  # items 13–15 of the month, 100 元 each
    letter = documents.render(application, Kind.FEE)
    text = text_of(letter)
    assert "缴纳方式：凭本通知书上的非税收入缴款码，通过银行柜台或网上银行缴纳。" in text
    assert "您于2026年10月此前已向本机关申请12件，本申请按“一事一申请”计3件，本月累计15件" in text
    assert not any("缴纳方式" in w for w in letter.warnings)


def test_a_fee_notice_after_the_reply_period_is_refused(county):
    """国办函〔2020〕109号第七条: the fee notice is sent within the processing period."""
    application, _ = new_case(county)
    late = application.reply_due + dt.timedelta(days=1)
    with pytest.raises(services.CaseError, match="应当在政府信息公开申请处理期限内发出"):
        services.issue_fee_notice(county.clerk, application, FeeMethod.PER_PAGE, 45, late)
    application.refresh_from_db()
    assert application.fee_notice_sent_on is None and application.status != "awaiting_payment"


def test_a_repeated_request_names_the_earlier_one_answered(county):
    """第三十六条第（六）项: only a request this agency already answered, of the same applicant."""
    with pytest.raises(services.CaseError, match="须在答复内容中写明本机关此前已答复"):
        decided(county, "declined_repeated", text="属于重复申请。")
    earlier = decided(county, "unable_not_exist", text="经检索未发现。")
    words = f"您的申请（编号 {earlier.tracking_number}）本机关已经答复。"
    with pytest.raises(services.CaseError, match="不是本机关已答复的"):
        decided(county, "declined_repeated", text=words)  # not yet replied
    services.reply(county.clerk, earlier, earlier.decided_on, "email")
    other, _ = services.register(
        county.clerk,
        county.civil,
        {**DATA, "name": "李四", "id_number": "110105194912310037"},
        channel=Channel.IN_PERSON,
        submitted_on=RECEIVED,
    )
    with pytest.raises(services.CaseError, match="同一申请人"):
        services.decide(
            county.clerk,
            other,
            "declined_repeated",
            legal_basis="",
            decision_text=words,
            decided_on=dt.date(2026, 10, 12),
        )
    application = decided(county, "declined_repeated", text=words)
    assert earlier.tracking_number in text_of(documents.render(application, Kind.REPLY_DECLINED))
