"""gongkai.law.periods: each period once, with the law's value, and every page, message, form
and count reads it from there (docs/law/periods.md).

The pages are checked by changing a constant and seeing the page change: a page that wrote the
digits itself would not follow."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core.cache import caches
from django.db.models import Q
from django.urls import reverse

from gongkai.applications import office_forms as case_forms
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.catalog import office_forms as item_forms
from gongkai.catalog import services as catalog_services
from gongkai.cli import main
from gongkai.clock import deadlines
from gongkai.clock.workcalendar import WorkCalendar
from gongkai.law import periods
from tests import factories

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
PERSON = {
    "applicant_type": "natural_person",
    "name": "王五",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13700137000",
    "email": "wangwu@example.org",
    "address": "测试县城关镇3号",
    "description": "2025年本县道路养护资金安排",
    "delivery": "email",
}

# Numbers no period has, so that a page showing them can only have read the module.
ODD = {
    "CORRECTION_NOTICE_DAYS": 9,
    "REPLY_DAYS": 31,
    "EXTENSION_DAYS": 17,
    "CONSULTATION_DAYS": 13,
    "FEE_PAYMENT_DAYS": 23,
    "PROACTIVE_PUBLICATION_DAYS": 29,
}


@pytest.fixture
def today(today_is):
    today_is(D(2026, 12, 15))


@pytest.fixture
def odd(monkeypatch):
    for name, value in ODD.items():
        monkeypatch.setattr(periods, name, value)
    return ODD


RECEIVED = D(2026, 9, 28)


def register(county, received=RECEIVED):
    return factories.registered_case(county, PERSON, received=received)


# --- the values and their articles --------------------------------------------------------


@pytest.mark.parametrize(
    "name, value",
    [
        ("CORRECTION_NOTICE_DAYS", 7),  # 条例第三十条
        ("REPLY_DAYS", 20),  # 条例第三十三条第二款
        ("EXTENSION_DAYS", 20),  # 条例第三十三条第二款
        ("CONSULTATION_DAYS", 15),  # 条例第三十二条、第三十四条
        ("FEE_PAYMENT_DAYS", 20),  # 国办函〔2020〕109号第七条
        ("PROACTIVE_PUBLICATION_DAYS", 20),  # 条例第二十六条
        ("RECONSIDERATION_DAYS", 60),  # 行政复议法第二十条第一款
        ("LITIGATION_MONTHS", 6),  # 行政诉讼法第四十六条第一款
        ("LITIGATION_AFTER_RECONSIDERATION_DAYS", 15),  # 行政诉讼法第四十五条
    ],
)
def test_each_period_has_the_laws_value(name, value):
    assert getattr(periods, name) == value


def test_the_module_imports_nothing_and_cites_an_article_for_each_period():
    source = (ROOT / "gongkai/law/periods.py").read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if re.match(r"\s*(import|from) ", line)]
    assert imports == ["from __future__ import annotations"]
    names = [n for n in dir(periods) if n.isupper()]
    assert len(names) >= 9
    for name in names:
        # The comment above each constant names its article.
        before = source.split(f"\n{name} = ")[0].rsplit("\n\n", 1)[-1]
        assert re.search(r"第[一二三四五六七八九十百]+条", before), name


def test_the_old_copies_are_gone():
    assert not hasattr(deadlines, "REPLY_DAYS")
    assert not hasattr(deadlines, "EXTENSION_DAYS")
    assert not hasattr(deadlines, "CORRECTION_NOTICE_DAYS")
    assert not hasattr(services, "CONSULTATION_DAYS")
    assert not hasattr(services, "FEE_PAYMENT_DAYS")
    assert not hasattr(catalog_services, "PUBLISH_DAYS")


def test_no_template_of_this_area_writes_a_period_in_digits():
    from django.template.loader import get_template

    for name in [
        "office/cases/detail.html",
        "office/items/list.html",
        "portal/apply.html",
        "portal/apply_done.html",
        "portal/guide.html",
    ]:
        text = get_template(name).template.source  # wherever the app keeps it
        assert not re.search(r"\d\s*个?(工作日|日内|个月)", text), name


# --- the counting reads the module ----------------------------------------------------------


def test_the_clock_counts_the_modules_periods(monkeypatch):
    calendar = WorkCalendar.default()
    before = deadlines.compute(calendar, D(2026, 9, 15), extension_days=periods.EXTENSION_DAYS)
    assert before.reply_due == D(2026, 10, 19)
    monkeypatch.setattr(periods, "REPLY_DAYS", 21)
    monkeypatch.setattr(periods, "CORRECTION_NOTICE_DAYS", 8)
    after = deadlines.compute(calendar, D(2026, 9, 15))
    assert after.reply_due == D(2026, 10, 20)  # one working day later
    assert after.correction_notice_due == D(2026, 9, 24)  # one working day after 23 Sept
    with pytest.raises(ValueError, match=f"延期不得超过 {periods.EXTENSION_DAYS} 个工作日"):
        deadlines.compute(calendar, D(2026, 9, 15), extension_days=periods.EXTENSION_DAYS + 1)


def test_the_services_count_consultation_and_fee_from_the_module(county, today, monkeypatch):
    sent = D(2026, 10, 12)
    assert services.consultation_answer_due(sent) == D(2026, 11, 2)  # 15 working days
    monkeypatch.setattr(periods, "CONSULTATION_DAYS", 16)
    assert services.consultation_answer_due(sent) == D(2026, 11, 3)
    application = register(county)
    monkeypatch.setattr(periods, "FEE_PAYMENT_DAYS", 21)
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 40, sent, received_on=sent
    )
    assert application.fee_due == D(2026, 11, 10)  # 20 working days would be 9 Nov


# --- messages, forms, the model -------------------------------------------------------------


def test_the_extension_messages_state_the_modules_period(county, today, odd):
    application = register(county)
    with pytest.raises(services.CaseError, match="应为1至17个工作日"):
        services.extend(county.head, application, 18, "档案多", D(2026, 10, 20))
    application = services.extend(county.head, application, 17, "档案多", D(2026, 10, 20))
    with pytest.raises(services.CaseError, match="合计不得超过17个工作日"):
        services.extend(county.head, application, 1, "再延", D(2026, 10, 21))


def test_the_correction_message_states_the_modules_period(county, today, monkeypatch):
    monkeypatch.setattr(periods, "CORRECTION_NOTICE_DAYS", 2)
    application = register(county)  # received Monday 28 Sept: 2 working days end 30 Sept
    with pytest.raises(services.CaseError, match=r"2个工作日内一次性告知.*不晚于 2026-09-30"):
        services.request_correction(
            county.clerk, application, ["a"], D(2026, 11, 1), D(2026, 10, 8)
        )


def test_the_forms_and_the_constraint_take_the_laws_numbers():
    days = case_forms.ExtendForm().fields["days"]
    assert days.max_value == days.initial == periods.EXTENSION_DAYS
    help_text = item_forms.ItemForm.base_fields["formed_on"].help_text
    assert f"{periods.PROACTIVE_PUBLICATION_DAYS}个工作日" in help_text
    (constraint,) = [
        c for c in Application._meta.constraints if c.name == "application_extension_at_most_20"
    ]
    assert constraint.condition == Q(extension_days__lte=periods.EXTENSION_DAYS)


def test_the_deadline_command_states_the_modules_periods(capsys):
    assert main(["deadline", "--received", "2026-09-15", "--extended"]) == 0
    out = capsys.readouterr().out
    assert f"第 {periods.CORRECTION_NOTICE_DAYS} 个工作日" in out
    assert f"（第 {periods.REPLY_DAYS} 个工作日）" in out
    assert f"再延 {periods.EXTENSION_DAYS} 个工作日" in out


def test_the_deadline_command_follows_a_change(capsys, monkeypatch):
    monkeypatch.setattr(periods, "EXTENSION_DAYS", 5)
    assert main(["deadline", "--received", "2026-09-15", "--extended"]) == 0
    out = capsys.readouterr().out
    assert "再延 5 个工作日" in out
    assert "延期后答复期限：2026-10-26" in out  # 19 Oct and five working days


# --- pages ----------------------------------------------------------------------------------


def test_the_guide_states_the_modules_periods(county, client, odd):
    body = client.get(reverse("portal:guide", args=[county.civil.slug])).content.decode()
    assert "变更之日起29个工作日内公开" in body
    assert "自收到申请之日起31个工作日内予以答复" in body
    assert "最长不超过17个工作日" in body
    assert "收到申请之日起9个工作日内一次性告知" in body
    assert not re.search(r"(?<!\d)(20|7)个工作日", body)


def test_the_application_form_and_its_receipt_state_the_modules_periods(county, client, odd):
    caches["ratelimit"].clear()
    form = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    assert "自收到申请之日起 31 个工作日" in form
    response = client.post(
        reverse("portal:apply", args=["civil"]), {**PERSON, "confirm": "on", "token": "p-1"}
    )
    assert response.status_code == 302
    receipt = client.get(response.url).content.decode()
    assert "自收到申请之日起 31 个工作日内答复" in receipt
    assert "延长不超过 17 个工作日" in receipt
    assert "会在 9 个工作日内一次性告知" in receipt


def test_the_case_file_states_the_modules_periods(county, today, odd):
    application = register(county)
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:case", args=[application.pk]))
        .content.decode()
    )
    assert "起第 9 个工作日</summary>" in page
    services.request_correction(county.clerk, application, ["a"], D(2026, 11, 1), D(2026, 9, 29))
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:case", args=[application.pk]))
        .content.decode()
    )
    assert "重新计算 31 个工作日" in page


def test_the_list_of_items_states_the_publication_period(county, odd):
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:items", args=[county.civil.pk]))
        .content.decode()
    )
    assert "变更之日起 29 个工作日内公开" in page
