"""予以公开、部分公开: how, where and when the information is given (条例第三十六条第（一）项、
第（二）项, 第四十条; docs/law/outcomes.md, 怎样提供)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Status
from gongkai.law import outcomes
from gongkai.letters import documents, placeholders
from gongkai.letters import services as letter_services
from gongkai.letters.defaults import body as default_body
from gongkai.letters.models import Kind
from tests import factories

D = dt.date
DATA = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "email": "zhangsan@example.org",
    "address": "测试县幸福路8号",
    "description": "2025年度城乡低保资金发放明细",
    "delivery": "paper",
}
DECIDED = D(2026, 10, 12)
BY_POST = {
    "disclosure": "provided",
    "provision_form": "paper",
    "provision_route": "邮寄至您的通信地址（测试县幸福路8号）",
    "provision_from": D(2026, 10, 13),
}


@pytest.fixture
def today(today_is):
    today_is(D(2026, 12, 15))


def new_case(county):
    return factories.registered_case(county, DATA, received=D(2026, 9, 28))


def decide(county, outcome="granted", application=None, **facts):
    if outcome == "partially_granted":
        facts.setdefault("withheld", [("名单中个人的身份证号码", "withheld_third_party")])
        facts.setdefault("decision_text", "名单中其余内容予以公开。")
    return services.decide(
        county.clerk,
        application or new_case(county),
        outcome,
        legal_basis=facts.pop("legal_basis", ""),
        decision_text=facts.pop("decision_text", ""),
        decided_on=DECIDED,
        **facts,
    )


def letter(application) -> str:
    kind = Kind(application.outcome_info.letter)
    rendered = documents.render(application, kind)
    return "\n".join(rendered.paragraphs)


# --- the rules --------------------------------------------------------------------------------


@pytest.mark.parametrize("outcome", ["granted", "partially_granted"])
def test_a_disclosure_needs_its_situation(county, today, outcome):
    with pytest.raises(services.CaseError, match=r"须选择公开情形.*第三十六条第（一）项"):
        decide(county, outcome, **{**BY_POST, "disclosure": ""})


def test_a_disclosure_needs_its_form(county, today):
    with pytest.raises(services.CaseError, match="须选择提供政府信息的形式（条例第四十条）"):
        decide(county, **{**BY_POST, "provision_form": ""})
    with pytest.raises(services.CaseError, match="须选择提供政府信息的形式"):
        decide(county, **{**BY_POST, "provision_form": "carrier pigeon"})


def test_another_form_than_asked_needs_its_reason(county, today):
    inspection = {**BY_POST, "provision_form": "inspection", "provision_route": "本机关档案室"}
    with pytest.raises(services.CaseError, match="与申请人要求的获取方式“纸质文本（邮寄）”不同"):
        decide(county, **inspection)
    application = decide(county, **inspection, provision_reason="原件为大幅图纸，复制会损坏载体。")
    assert application.provision_differs
    assert application.provision_reason == "原件为大幅图纸，复制会损坏载体。"


def test_a_reason_is_not_kept_when_the_form_is_the_one_asked(county, today):
    application = decide(county, **BY_POST, provision_reason="无")
    assert not application.provision_differs and application.provision_reason == ""


def test_a_disclosure_needs_its_route(county, today):
    with pytest.raises(services.CaseError, match="请写明获取途径"):
        decide(county, **{**BY_POST, "provision_route": "  "})


def test_what_is_provided_needs_its_time_but_what_is_published_does_not(county, today):
    with pytest.raises(services.CaseError, match="须写明提供或可以获取的时间"):
        decide(county, **{**BY_POST, "provision_from": None})
    published = decide(
        county,
        disclosure="published",
        provision_form="online",
        provision_route="https://www.example.gov.cn/xxgk/2025/dibao.html",
        provision_reason="该信息已在本机关网站公开。",
    )
    assert published.disclosure == "published" and published.provision_from is None


@pytest.mark.parametrize(
    "dates, message",
    [
        ((D(2026, 10, 11), None), "不能早于决定日期"),
        ((D(2026, 10, 13), D(2026, 10, 12)), "不能早于起始日期"),
        ((None, D(2026, 10, 20)), "请同时填写起始日期"),
        ((D(1900, 1, 1), None), "不是合理的日期"),
    ],
)
def test_bad_times_are_refused_in_chinese(county, today, dates, message):
    since, until = dates
    facts = {**BY_POST, "provision_from": since, "provision_until": until}
    with pytest.raises(services.CaseError, match=message):
        decide(county, **facts)


def test_the_basis_cites_the_item_chosen_not_both(county, today):
    provided = decide(county, **BY_POST)
    assert provided.legal_basis.endswith("第三十六条第（二）项")
    assert "第（一）项" not in provided.legal_basis
    published = decide(county, **{**BY_POST, "disclosure": "published", "provision_from": None})
    assert published.legal_basis.endswith("第三十六条第（一）项")
    assert "第（二）项" not in published.legal_basis
    partial = decide(county, "partially_granted", **BY_POST)
    assert partial.legal_basis == (
        f"{outcomes.REGULATION}第三十六条第（二）项、"
        + outcomes.BY_KEY["partially_granted"].basis.removeprefix(outcomes.REGULATION)
    )


def test_a_written_basis_citing_the_other_item_is_refused(county, today):
    with pytest.raises(services.CaseError, match="与所选的公开情形"):
        decide(
            county,
            **BY_POST,
            legal_basis=f"{outcomes.REGULATION}第三十六条第（一）项",
        )


def test_other_outcomes_keep_no_provision(county, today):
    application = decide(county, "withheld_third_party", decision_text="涉及他人隐私。", **BY_POST)
    assert application.disclosure == "" and application.provision_form == ""
    assert application.provision_route == "" and application.provision_from is None


# --- the letters ------------------------------------------------------------------------------


def test_the_granted_letter_states_how_where_and_when(county, today):
    text = letter(decide(county, **BY_POST))
    assert "本机关向您提供该政府信息，提供的方式、途径和时间如下。" in text
    assert "提供形式：纸质件（按您要求的获取方式“纸质文本（邮寄）”提供）" in text
    assert "获取途径：邮寄至您的通信地址（测试县幸福路8号）" in text
    assert "获取时间：2026年10月13日（本机关寄出或发送之日）" in text
    assert "第三十六条第（二）项的规定" in text and "第（一）项" not in text


def test_a_published_letter_tells_where_it_is_published(county, today):
    text = letter(
        decide(
            county,
            disclosure="published",
            provision_form="online",
            provision_route="https://www.example.gov.cn/xxgk/2025/dibao.html",
            provision_reason="该信息已在本机关网站公开，可直接下载。",
        )
    )
    assert "该政府信息已经主动公开，您可以通过下列方式、途径获取。" in text
    assert "获取途径：https://www.example.gov.cn/xxgk/2025/dibao.html" in text
    assert "获取时间：该信息已经主动公开，您可以随时获取" in text
    assert (
        "提供形式：网上获取。您要求的获取方式为“纸质文本（邮寄）”，因该信息已在本机关网站公开，"
        "可直接下载，根据条例第四十条的规定，本机关以网上获取的形式提供" in text
    )
    assert "第三十六条第（一）项的规定" in text


def test_the_partial_letter_states_how_where_and_when_for_a_period(county, today):
    text = letter(
        decide(
            county,
            "partially_granted",
            disclosure="provided",
            provision_form="inspection",
            provision_reason="档案原件不宜外借。",
            provision_route="测试县民政局档案室（幸福路1号），工作日9:00—17:00",
            provision_from=D(2026, 10, 14),
            provision_until=D(2026, 10, 23),
        )
    )
    assert "不予公开的内容：名单中个人的身份证号码" in text
    assert "本机关向您提供可以公开的内容，提供的方式、途径和时间如下。" in text
    assert "获取途径：测试县民政局档案室（幸福路1号），工作日9:00—17:00" in text
    assert "获取时间：2026年10月14日至2026年10月23日" in text
    assert "因档案原件不宜外借，根据条例第四十条的规定，本机关以当面查阅的形式提供" in text


def test_an_empty_reply_text_still_gives_means_route_and_time(county, today):
    text = letter(decide(county, **BY_POST, decision_text=""))
    for needed in ("提供形式：纸质件", "获取途径：邮寄", "获取时间：2026年10月13日"):
        assert needed in text
    assert placeholders.NOT_FILLED not in text


@pytest.mark.parametrize("kind", [Kind.REPLY_GRANTED, Kind.REPLY_PARTIAL])
def test_an_agency_template_must_keep_how_where_and_when(county, kind):
    body = default_body(kind).replace("{获取时间}", "")
    problems = placeholders.problems(body, kind)
    assert any("{获取时间}" in p and "方式、途径和时间" in p for p in problems)
    with pytest.raises(Exception, match="获取时间"):
        letter_services.save_template(county.admin, county.civil, kind, "告知书", body)
    assert not placeholders.problems(default_body(kind), kind)


# --- the case page, as a clerk uses it --------------------------------------------------------


def test_the_case_page_takes_the_provision(county, today):
    application = new_case(county)
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "提供形式" in page and "申请人要求的获取方式：纸质文本（邮寄）" in page
    url = reverse("office:case_step", args=[application.pk, "decide"])
    base = {"outcome": "granted", "decided_on": "2026-10-12"}
    bad = client.post(url, {**base, "disclosure": "provided", "provision_form": "paper"})
    assert bad.status_code == 400 and "请写明获取途径" in bad.content.decode()
    bad = client.post(url, {**base, "disclosure": "provided", "provision_from": "明天"})
    assert bad.status_code == 400
    differs = client.post(
        url,
        {
            **base,
            "disclosure": "provided",
            "provision_form": "email",
            "provision_route": "zhangsan@example.org",
            "provision_from": "2026-10-12",
        },
    )
    assert differs.status_code == 400 and "请写明理由" in differs.content.decode()
    done = client.post(
        url,
        {
            **base,
            "disclosure": "provided",
            "provision_form": "email",
            "provision_reason": "申请人来电同意改为电子邮件。",
            "provision_route": "zhangsan@example.org",
            "provision_from": "2026-10-12",
        },
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.DECIDED and application.provision_form == "email"
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert (
        "提供形式：电子邮件（申请人要求：纸质文本（邮寄）；理由：申请人来电同意改为电子邮件。）"
        in page
    )
    assert "获取时间：2026-10-12" in page
