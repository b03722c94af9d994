"""law.categories: the 第二十条/第二十一条 categories, who publishes which by kind and level of
agency, and the period each category is published within (条例第二十六条; 预算法第十四条 for an
approved budget or final account). docs/law/categories.md."""

from __future__ import annotations

import datetime as dt
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from gongkai.agencies.models import Agency, AgencyKind
from gongkai.catalog import services
from gongkai.catalog.models import Item
from gongkai.clock import deadlines
from gongkai.clock.workcalendar import WorkCalendar
from gongkai.history.models import Event
from gongkai.law import categories, periods
from tests import factories
from tests.conftest import make_agency

D = dt.date
ROOT = Path(__file__).resolve().parent.parent
ARTICLE_20 = {c.key for c in categories.ARTICLE_20}
COUNTY_LIST = ARTICLE_20 | {categories.ARTICLE_21_COUNTY.key}
TOWNSHIP_LIST = ARTICLE_20 | {categories.ARTICLE_21_TOWNSHIP.key}


# --- the law module on its own ------------------------------------------------------------------


def test_the_law_module_needs_no_django():
    code = "import sys, gongkai.law.categories; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_kinds_it_names_are_the_agency_kinds():
    assert set(categories.KINDS) == {k.value for k in AgencyKind}
    assert [key for key, _ in categories.LEVELS] == ["province", "city", "county", "township"]
    assert Agency._meta.get_field("level").default == categories.DEFAULT_LEVEL


@pytest.mark.parametrize(
    ("kind", "level", "expected"),
    [
        # 第二十一条: 设区的市级、县级人民政府及其部门.
        ("government", "city", COUNTY_LIST),
        ("government", "county", COUNTY_LIST),
        ("department", "city", COUNTY_LIST),
        ("department", "county", COUNTY_LIST),
        # A province's government and departments: 第二十条 only.
        ("government", "province", ARTICLE_20),
        ("department", "province", ARTICLE_20),
        # 乡（镇）人民政府 (and the street office, at the same level), whatever level recorded.
        ("township", "township", TOWNSHIP_LIST),
        ("township", "county", TOWNSHIP_LIST),
        ("street", "township", TOWNSHIP_LIST),
        ("government", "township", TOWNSHIP_LIST),
        # Neither a government nor one of its departments; nor a department of a township.
        ("other", "county", ARTICLE_20),
        ("other", "city", ARTICLE_20),
        ("department", "township", ARTICLE_20),
    ],
)
def test_who_publishes_which(kind, level, expected):
    found = categories.for_agency(kind, level)
    assert {c.key for c in found} == expected
    assert [c.key for c in found[:15]] == [c.key for c in categories.ARTICLE_20]  # in order


def test_a_township_or_street_is_of_the_township_level():
    assert categories.level_for("township", "county") == "township"
    assert categories.level_for("street", "province") == "township"
    assert categories.level_for("department", "city") == "city"
    assert categories.level_problem("government", "township").startswith("乡级人民政府")
    assert "层级" in categories.level_problem("department", "nowhere")
    assert categories.level_problem("department", "province") == ""


def test_the_names_of_an_item_and_the_keys_in_messages():
    budget = categories.BY_KEY["a20-07"]
    assert budget is categories.BUDGET
    assert budget.other_names == ("第二十条第七项", "第二十条七")
    assert categories.BY_KEY["a20-11"].other_names == ("第二十条第十一项", "第二十条十一")
    assert categories.ARTICLE_21_COUNTY.other_names == ()
    assert categories.ALL_KEYS_TEXT == "a20-01 至 a20-15、a21-county 或 a21-township"


def test_the_period_of_each_category():
    general = categories.publication_period("a20-11", approved=True)
    assert general is categories.GENERAL_PERIOD
    assert (general.days, general.calendar_days, general.counted_from) == (
        periods.PROACTIVE_PUBLICATION_DAYS,
        False,
        "formed_on",
    )
    assert "第二十六条" in general.text and "个工作日" in general.text
    # A budget item without its approval date is an ordinary a20-07 item (第二十六条).
    assert categories.publication_period("a20-07", approved=False) is general
    budget = categories.publication_period("a20-07", approved=True)
    assert (budget.days, budget.calendar_days, budget.counted_from) == (
        periods.BUDGET_PUBLICATION_DAYS,
        True,
        "approved_on",
    )
    assert budget.text == "自批准或批复之日起20日内公开（《中华人民共和国预算法》第十四条）"
    assert categories.takes_approval_date("a20-07")
    assert not categories.takes_approval_date("a21-county")


def test_no_literal_list_of_keys_outside_the_law():
    """The messages that list the keys are built from law.categories."""
    found = []
    for path in (ROOT / "gongkai").rglob("*"):
        if path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue
        if path.parent.name == "law":
            continue
        text = path.read_text(encoding="utf-8")
        for literal in ("a20-01 至", "a21-county 或", "第二十条第{"):
            if literal in text:
                found.append(f"{path.relative_to(ROOT)}: {literal}")
    assert found == []


# --- agencies: the level, in the back office ----------------------------------------------------


def test_the_migration_puts_townships_and_streets_at_the_township_level(county):
    migration = importlib.import_module("gongkai.agencies.migrations.0002_level")
    Agency.objects.filter(pk=county.town.pk).update(level="county")
    street = make_agency("street", "测试县东街街道办事处", AgencyKind.STREET, county.county, n=9)
    Agency.objects.filter(pk=street.pk).update(level="county")
    migration.townships_at_township_level(django_apps, None)
    levels = dict(Agency.objects.values_list("slug", "level"))
    assert levels == {
        "county": "county",
        "civil": "county",
        "finance": "county",
        "town": "township",
        "street": "township",
    }


def test_a_system_administrator_sets_the_level_and_the_lists_follow(county, client):
    sysadmin = county.client_for(county.sysadmin)
    url = reverse("office:agency_edit", args=[county.civil.pk])
    page = sysadmin.get(url).content.decode()
    assert 'name="level"' in page and "设区的市级" in page
    assert county.civil.proactive_categories[-1] == categories.ARTICLE_21_COUNTY
    assert client.get(reverse("portal:category", args=["civil", "a21-county"])).status_code == 200

    data = {
        f: getattr(county.civil, f)
        for f in ("name", "code", "office_name", "address", "office_hours", "phone")
    }
    data["reconsideration_body"] = county.civil.reconsideration_body
    response = sysadmin.post(url, {**data, "level": "province", "reason": "实为省级部门"})
    assert response.status_code == 302, response.content.decode()
    civil = Agency.objects.get(pk=county.civil.pk)
    assert civil.level == "province" and civil.get_level_display() == "省级"
    assert {c.key for c in civil.proactive_categories} == ARTICLE_20
    event = Event.objects.filter(action="agency.update", agency=civil).latest("id")
    assert "层级" in event.summary
    # The portal and the item form follow: no 第二十一条 list for a province's department.
    assert client.get(reverse("portal:category", args=["civil", "a21-county"])).status_code == 404
    form = county.client_for(county.clerk).get(reverse("office:item_create", args=[civil.pk]))
    assert "a21-county" not in form.content.decode()
    detail = sysadmin.get(reverse("office:agency", args=[civil.pk])).content.decode()
    assert "<dt>层级</dt><dd>省级</dd>" in detail


def test_an_agency_administrator_cannot_change_the_level(county):
    admin = county.client_for(county.admin)
    url = reverse("office:agency_edit", args=[county.civil.pk])
    assert 'name="level"' not in admin.get(url).content.decode()
    data = {
        f: getattr(county.civil, f)
        for f in ("name", "code", "office_name", "address", "office_hours", "phone")
    }
    data["reconsideration_body"] = county.civil.reconsideration_body
    response = admin.post(url, {**data, "level": "province"})
    assert response.status_code == 302
    assert Agency.objects.get(pk=county.civil.pk).level == "county"


def _new_agency(**changes):
    return {
        "name": "测试县某某乡人民政府",
        "slug": "mouxiang",
        "kind": "township",
        "level": "county",
        "parent": "",
        "position": 5,
        "code": "000014349",
        "office_name": "党政办公室",
        "address": "某路1号",
        "office_hours": "工作日",
        "phone": "1",
        "reconsideration_body": "测试县人民政府",
        **changes,
    }


def test_creating_agencies_with_their_level(county):
    sysadmin = county.client_for(county.sysadmin)
    url = reverse("office:agency_create")
    data = _new_agency(parent=county.county.pk)
    # A township government chosen at the county level is recorded at the township level.
    assert sysadmin.post(url, data).status_code == 302
    assert Agency.objects.get(slug="mouxiang").level == "township"
    # A "government" at the township level is a 乡镇人民政府: the form says which kind to pick.
    bad = sysadmin.post(
        url,
        _new_agency(slug="other-town", name="某乡政府", kind="government", level="township"),
    )
    assert bad.status_code == 200
    assert "乡级人民政府请将机关类型选为“乡镇人民政府”" in bad.content.decode()
    nonsense = sysadmin.post(url, _new_agency(slug="x", name="某局", level="galaxy"))
    assert nonsense.status_code == 200
    assert "选择一个有效的选项" in nonsense.content.decode()
    assert not Agency.objects.filter(slug__in=["other-town", "x"]).exists()


# --- the budget's period (预算法第十四条) --------------------------------------------------------

BUDGET = {
    "title": "测试县民政局2026年部门预算",
    "category": "a20-07",
    "kind": "information",
    "formed_on": D(2026, 9, 18),
    "body": "2026年部门预算。",
}


@pytest.fixture
def fixed_today(today_is):
    today_is(D(2026, 11, 30))


@pytest.mark.parametrize(
    ("approved", "due"),
    [
        # 20 days across 中秋 (25-27 Sep) and 国庆 (1-7 Oct): every day counts.
        (D(2026, 9, 18), D(2026, 10, 8)),
        # The 20th day (2 Oct) is a holiday: the period ends on the next working day.
        (D(2026, 9, 12), D(2026, 10, 8)),
        # The 20th day is a Saturday worked in exchange (10 Oct): it is a working day.
        (D(2026, 9, 20), D(2026, 10, 10)),
    ],
)
def test_a_budget_is_due_twenty_days_after_its_approval(county, fixed_today, approved, due):
    item = factories.item_draft(county, {**BUDGET, "approved_on": approved})
    assert item.draft.approved_on == approved
    assert item.due_on == due
    assert item.clock_error == ""


def test_without_its_approval_date_a_budget_item_has_twenty_working_days(county, fixed_today):
    item = factories.item_draft(county, BUDGET)
    working = deadlines.count_workdays(WorkCalendar.default(), BUDGET["formed_on"], 20)[0]
    assert item.due_on == working == D(2026, 10, 22)
    # Adding the approval date moves the date; the edit is recorded as every edit is.
    item = services.edit(county.clerk, item, {**BUDGET, "approved_on": D(2026, 9, 18)})
    assert item.due_on == D(2026, 10, 8)
    actions = Event.objects.filter(subject_type__model="item", subject_id=str(item.pk))
    assert list(actions.order_by("id").values_list("action", flat=True)) == [
        "item.create",
        "item.edit",
    ]


def test_the_budget_date_survives_a_calendar_recalculation(county, fixed_today):
    item = factories.item_draft(county, {**BUDGET, "approved_on": D(2026, 9, 18)})
    Item.objects.filter(pk=item.pk).update(due_on=D(2026, 1, 1))
    assert services.recalculate_due_dates(None, "测试") == 1
    item.refresh_from_db()
    assert item.due_on == D(2026, 10, 8)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"approved_on": D(2026, 12, 1)}, "批准或批复日期不能晚于今天"),
        (
            {"category": "a20-11", "approved_on": D(2026, 9, 18)},
            "只有财政预算、决算信息填写批准或批复日期",
        ),
    ],
)
def test_a_wrong_approval_date_is_refused(county, fixed_today, changes, message):
    with pytest.raises(services.CatalogError, match=message):
        factories.item_draft(county, {**BUDGET, **changes})


def _post(county, **changes):
    data = {
        **BUDGET,
        "formed_on": "2026-09-18",
        "disclosure": "proactive",
        "validity": "in_force",
        **changes,
    }
    return county.client_for(county.clerk).post(
        reverse("office:item_create", args=[county.civil.pk]), data
    )


def test_the_clerk_fills_in_the_approval_date_in_the_form(county, fixed_today):
    clerk = county.client_for(county.clerk)
    form = clerk.get(reverse("office:item_create", args=[county.civil.pk])).content.decode()
    assert "批准或批复日期" in form and "预算法》第十四条" in form
    response = _post(county, approved_on="2026-09-18")
    assert response.status_code == 302, response.content.decode()
    item = Item.objects.get()
    assert item.due_on == D(2026, 10, 8)
    page = clerk.get(response["Location"]).content.decode()
    assert "批准或批复日期" in page and "2026-09-18" in page
    assert "自批准或批复之日起20日内公开（《中华人民共和国预算法》第十四条）" in page
    # The edit form shows the date, and clearing it goes back to 第二十六条.
    edit_url = reverse("office:item_edit", args=[item.pk])
    assert 'value="2026-09-18"' in clerk.get(edit_url).content.decode()
    data = {**BUDGET, "formed_on": "2026-09-18", "approved_on": "", "disclosure": "proactive"}
    assert clerk.post(edit_url, {**data, "validity": "in_force"}).status_code == 302
    item.refresh_from_db()
    assert item.due_on == D(2026, 10, 22)
    page = clerk.get(reverse("office:item", args=[item.pk])).content.decode()
    assert categories.GENERAL_PERIOD.text in page


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-02-30", "输入一个有效的日期"),
        ("去年", "输入一个有效的日期"),
        ("99999-01-01", "输入一个有效的日期"),
        ("2026-12-25", "批准或批复日期不能晚于今天"),
    ],
)
def test_a_bad_approval_date_in_the_form(county, fixed_today, value, message):
    response = _post(county, approved_on=value)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Item.objects.exists()


def test_an_approval_date_on_another_category_in_the_form(county, fixed_today):
    response = _post(county, category="a20-11", approved_on="2026-09-18")
    assert response.status_code == 400
    assert "只有财政预算、决算信息填写批准或批复日期" in response.content.decode()


def test_the_item_form_of_a_township_offers_its_own_list(county):
    form = county.client_for(county.town_clerk).get(
        reverse("office:item_create", args=[county.town.pk])
    )
    body = form.content.decode()
    assert "a21-township" in body and "a21-county" not in body
