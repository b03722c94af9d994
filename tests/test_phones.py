"""Telephone numbers as applicants write them (gongkai.core.phones): the application forms'
check of 联系电话 and 传真, and the mobile number an SMS goes to."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gongkai.applications.forms import PublicApplicationForm
from gongkai.core import phones

GOOD = {
    "13800138000": "13800138000",
    "+86 138 0013 8000": "13800138000",
    "138-0013-8000": "13800138000",
    "１３８００１３８０００": "13800138000",  # full width, from a Chinese input method
    "0571-88888888": "",
    "(0571)88888888": "",
    "（010）12345678": "",
    "010-1234567": "",
    "0571-88888888-123": "",
    "0571-88888888转123": "",
    "+86 571 88888888": "",
    "400-800-1234": "",
    "0571-88888888分机123": "",
    "0571—88888888": "",  # the dash a Chinese input method types
    "+852 9123 4567": "",  # Hong Kong
    "+853 6612 3456": "",  # Macao
    "+886 912 345 678": "",  # Taiwan
    "+1 415 555 0100": "",
}
BAD = [
    "12345",
    "1380013800",
    "88888888",
    "0571",
    "abc",
    "23800138000",
    "0000-0000000",
    "01-23456789",  # no area code begins 01 but 010
    "+86 123",
    "",
]


@pytest.mark.parametrize("value", list(GOOD), ids=range(len(GOOD)))
def test_a_number_one_can_call_passes_and_a_mobile_is_found(value):
    assert phones.problem(value) == ""
    assert phones.mobile(value) == GOOD[value]


@pytest.mark.parametrize("value", BAD, ids=range(len(BAD)))
def test_a_number_one_cannot_call_is_refused_with_an_example(value):
    assert phones.problem(value) == phones.PROBLEM
    assert "13800138000" in phones.PROBLEM and "0571-88888888" in phones.PROBLEM


FORM = {
    "applicant_type": "natural_person",
    "name": "王五",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "0571-88888888",
    "email": "",
    "description": "某文件",
    "delivery": "pickup",
    "token": "t",
    "confirm": "on",
}


def form(**changes):
    found = PublicApplicationForm({**FORM, **changes})
    found.is_valid()
    return found


def test_the_form_takes_a_landline_and_refuses_a_short_number():
    assert form().is_valid()
    assert form(phone="8888888").errors["phone"] == [phones.PROBLEM]


def test_a_fax_delivery_needs_a_fax_number_with_its_area_code():
    assert "请填写传真号码" in form(delivery="fax").errors["fax"][0]
    assert form(delivery="fax", fax="88888888").errors["fax"] == [phones.FAX_PROBLEM]
    assert form(delivery="fax", fax="13800138000").errors["fax"] == [phones.FAX_PROBLEM]
    assert form(delivery="fax", fax="0571-88888889").is_valid()


def test_e_mail_is_chosen_when_an_address_is_given_and_nothing_else_was():
    chosen = form(delivery="", email="wangwu@example.org")
    assert chosen.is_valid() and chosen.cleaned_data["delivery"] == "email"
    assert form(delivery="").errors["delivery"] == ["请选择获取信息的方式。"]
    assert form(delivery="pickup", email="wangwu@example.org").cleaned_data["delivery"] == "pickup"


def test_the_page_tells_the_browser_what_each_field_is(county, client):
    page = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    for attrs in (
        'autocomplete="tel" inputmode="tel"',
        'autocomplete="email" inputmode="email"',
        'autocomplete="postal-code" inputmode="numeric"',
        'autocomplete="street-address"',
        'autocomplete="name"',
    ):
        assert attrs in page, attrs
    assert 'id="id_fax"' in page and "forms.js" in page


def test_a_refused_form_lists_each_error_as_a_link_to_its_field(county, client):
    response = client.post(
        reverse("portal:apply", args=["civil"]), {**FORM, "phone": "123", "delivery": "fax"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and 'id="error-summary"' in page
    assert '<a href="#id_phone">联系电话：' in page and '<a href="#id_fax">传真号码：' in page


def test_the_paper_form_is_a_pdf_with_the_agency_and_how_to_hand_it_in(county, client):
    import io

    from pypdf import PdfReader

    response = client.get(reverse("portal:paper_form", args=["civil"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    compact = "".join(text.split())
    assert "政府信息公开申请表" in compact and "测试县民政局" in compact
    assert "第二十九条" in compact and "20个工作日" in compact
    apply_page = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    assert reverse("portal:paper_form", args=["civil"]) in apply_page


def test_the_finder_names_the_agency_that_holds_the_information(county, client):
    county.civil.duties = "城乡最低生活保障（低保）、临时救助、婚姻登记"
    county.civil.save()
    url = reverse("portal:apply_choose")
    page = client.get(url, {"q": "低保"}).content.decode()
    assert "可能负责“低保”的机关（1 个）" in page
    assert reverse("portal:apply", args=["civil"]) in page
    assert "没有找到负责“高铁”的机关" in client.get(url, {"q": "高铁"}).content.decode()
    # The choice opens that agency's form; an unknown one is said so.
    chosen = client.get(url, {"agency": "finance"})
    assert chosen.status_code == 302 and chosen.url == reverse("portal:apply", args=["finance"])
    assert "没有这个机关" in client.get(url, {"agency": "nope"}).content.decode()
    assert url in client.get(reverse("portal:apply", args=["civil"])).content.decode()


def test_the_fields_required_only_sometimes_say_when(county, client):
    page = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    for when in (
        "自然人必填",
        "以电子邮件获取信息时必填",
        "以传真获取信息时必填",
        "邮寄纸质文本或光盘时必填",
    ):
        assert f'<span class="required-when">（{when}）</span>' in page, when
