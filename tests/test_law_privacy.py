"""gongkai.law.privacy: the one ID mask, the one phone mask and the one finder of ID and mobile
numbers in text (docs/law/privacy.md), and that everything that masks uses them."""

from __future__ import annotations

import datetime as dt
import pathlib
import re

import pytest
from django.urls import reverse

from gongkai.law import privacy
from gongkai.law.privacy import (
    MASK_EXAMPLES,
    find_mobiles,
    find_numbers,
    find_resident_ids,
    is_resident_id,
    mask_email,
    mask_id,
    mask_in_text,
    mask_phone,
    normalise_id,
)

D = dt.date
ROOT = pathlib.Path(__file__).resolve().parent.parent
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
TODAY = D(2026, 11, 20)


def id_number(body: str) -> str:
    """A 17-digit body and its GB 11643-1999 check character (computed here, not by the code
    under test)."""
    assert len(body) == 17
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


ID_X = "11010519491231002X"  # the GB 11643-1999 example, check character X
ID_FUJIAN = id_number("35010219800101123")
ID_OLD = "350102800101123"  # 15 digits, born 1980-01-01
WRONG_CHECK = ID_FUJIAN[:17] + ("0" if ID_FUJIAN[17] != "0" else "1")


def ids(text: str) -> list[tuple[str, str]]:
    return [(text[n.start : n.end], n.masked) for n in find_resident_ids(text, TODAY)]


def mobiles(text: str) -> list[tuple[str, str]]:
    return [(text[n.start : n.end], n.masked) for n in find_mobiles(text)]


# --- the ID mask -------------------------------------------------------------------------------


def test_the_id_mask_keeps_the_province_and_the_last_three():
    assert mask_id(ID_X) == "11*************02X"
    assert mask_id(ID_FUJIAN) == "35" + "*" * 13 + ID_FUJIAN[-3:]
    assert len(mask_id(ID_X)) == 18


def test_the_id_mask_hides_the_birth_date_and_the_county():
    masked = mask_id(ID_FUJIAN)
    assert "19800101" not in masked and "350102" not in masked
    assert masked.count("*") == 13


def test_the_id_mask_of_an_old_fifteen_digit_number():
    assert mask_id(ID_OLD) == "35" + "*" * 10 + "123"


def test_the_id_mask_normalises_what_it_is_given():
    assert mask_id("11010519491231002x") == "11*************02X"
    assert mask_id(" 110105 19491231 002X ") == "11*************02X"
    assert mask_id("110105-19491231-002X") == "11*************02X"
    assert mask_id("１１０１０５１９４９１２３１００２Ｘ") == "11*************02X"


def test_other_document_numbers_keep_only_the_last_three():
    assert mask_id("E12345678") == "******678"  # a passport
    assert mask_id("H1234567890") == "********890"  # a 港澳通行证
    assert mask_id("12345") == "*****"
    assert mask_id("ab") == "**"
    assert mask_id("") == ""
    assert mask_id(None) == ""


def test_normalise_id():
    assert normalise_id("110105 19491231 002x") == ID_X
    assert normalise_id("１１０１０５１９４９１２３１００２ｘ") == ID_X


# --- the phone mask ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13800138000", "138****8000"),
        ("138 0013 8000", "138****8000"),
        ("138-0013-8000", "138****8000"),
        ("+86 138 0013 8000", "138****8000"),
        ("008613800138000", "138****8000"),
        ("１３８００１３８０００", "138****8000"),
        ("0771-1234567", "*******4567"),
        ("1234", "****"),
        ("", ""),
    ],
)
def test_the_phone_mask(value, masked):
    assert mask_phone(value) == masked


def test_the_email_mask():
    assert mask_email("zhangsan@example.org") == "z***@example.org"
    assert mask_email("13800138000") == "138****8000"


def test_the_examples_are_what_the_masks_make():
    assert MASK_EXAMPLES == {"mobile": "138****1234", "resident_id": "35*************123"}
    assert MASK_EXAMPLES["resident_id"] == mask_id("35" + "0" * 13 + "123")


# --- the finder: ID numbers --------------------------------------------------------------------


def test_an_eighteen_digit_id_with_x():
    assert ids(f"身份证号码：{ID_X}。") == [(ID_X, "11*************02X")]


def test_a_lower_case_x_is_found_and_masked_upper_case():
    assert ids("号码11010519491231002x，") == [("11010519491231002x", "11*************02X")]


def test_an_old_fifteen_digit_number():
    assert ids(f"旧证{ID_OLD}已换领") == [(ID_OLD, mask_id(ID_OLD))]


@pytest.mark.parametrize("separator", [" ", "-", "\u3000", "－"])
def test_an_id_grouped_six_eight_four(separator):
    grouped = separator.join((ID_FUJIAN[:6], ID_FUJIAN[6:14], ID_FUJIAN[14:]))
    assert ids(f"身份证 {grouped} 。") == [(grouped, mask_id(ID_FUJIAN))]


def test_two_kinds_of_separator_are_not_one_number():
    mixed = f"{ID_FUJIAN[:6]} {ID_FUJIAN[6:14]}-{ID_FUJIAN[14:]}"
    assert ids(mixed) == []


def test_full_width_digits_are_found_in_place():
    wide = "".join(chr(ord(c) + 0xFEE0) for c in ID_X)
    text = f"证号{wide}。"
    assert ids(text) == [(wide, "11*************02X")]


@pytest.mark.parametrize(
    "text",
    [
        f"1{ID_X}",  # inside a longer digit run
        f"{ID_FUJIAN}9",
        f"P{ID_FUJIAN}.pdf",  # an attachment name
        f"{ID_FUJIAN}abc",
        f"12.{ID_FUJIAN}",  # a decimal
        f"{ID_FUJIAN}.5",
        f"2{ID_OLD}",
    ],
)
def test_not_inside_a_longer_run(text):
    assert ids(text) == []


@pytest.mark.parametrize(
    "number",
    [
        id_number("35010219800230123"),  # 30 February
        id_number("35010219801301123"),  # month 13
        id_number("35010218991231123"),  # before 1900
        id_number("35010220301231123"),  # born after today
        id_number("00010219800101123"),  # no such province
        id_number("39010219800101123"),  # no such province
        WRONG_CHECK,
        "350102800231123",  # 15 digits, 31 February
        "350102801301123",  # 15 digits, month 13
        "010102800101123",  # 15 digits, no such province
    ],
)
def test_not_an_id(number):
    assert ids(f"号码 {number} 。") == []
    assert not is_resident_id(privacy.digits_of(number), TODAY)


def test_the_foreigners_permanent_residence_card_starts_with_nine():
    number = id_number("93010219800101123")
    assert ids(number) == [(number, mask_id(number))]


def test_several_ids_in_order():
    text = f"甲{ID_X}，乙{ID_FUJIAN}，丙{ID_OLD}"
    assert [found for found, _ in ids(text)] == [ID_X, ID_FUJIAN, ID_OLD]


# --- the finder: mobile numbers ----------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 13912345678",
        "+8613912345678",
        "0086-139-1234-5678",
        "(+86) 13912345678",
        "（86）13912345678",
        "１３９１２３４５６７８",
    ],
)
def test_a_mobile_number(written):
    assert mobiles(f"电话：{written}。") == [(written, "139****5678")]


@pytest.mark.parametrize(
    "text",
    [
        "139123456789",  # 12 digits
        "213912345678",
        "12912345678",  # no such mobile prefix
        "0771-5210001",  # a landline
        "139 1234-5678",  # two kinds of separator
        "文号20251391234567",
    ],
)
def test_not_a_mobile_number(text):
    assert mobiles(text) == []


def test_find_numbers_gives_both_by_position():
    text = f"手机13912345678，身份证{ID_X}"
    assert [(n.kind, n.digits) for n in find_numbers(text, TODAY)] == [
        ("mobile", "13912345678"),
        ("resident_id", ID_X),
    ]


# --- masking free text -------------------------------------------------------------------------


def test_mask_in_text_masks_ids_and_mobiles_and_nothing_else():
    text = (
        f"我的身份证 {ID_X}，旧证 {ID_OLD}，手机 +86 139-1234-5678，"
        "文号 云民发〔2025〕12号，电话 0771-5210001，案号 202511200001"
    )
    masked = mask_in_text(text)
    assert ID_X not in masked and "11*************02X" in masked
    assert ID_OLD not in masked and mask_id(ID_OLD) in masked
    assert "139-1234-5678" not in masked and "139****5678" in masked
    assert "云民发〔2025〕12号" in masked and "0771-5210001" in masked and "202511200001" in masked


def test_a_grouped_or_full_width_id_gets_the_same_mask_as_the_field():
    grouped = f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:]}"
    wide = "".join(chr(ord(c) + 0xFEE0) for c in ID_X)
    for written in (ID_X, ID_X.lower(), grouped, wide):
        assert mask_in_text(f"证号{written}。") == f"证号{mask_id(ID_X)}。"


def test_known_numbers_of_any_type_are_masked_whole():
    text = "护照号 E12345678，另一本 E123456789，XE12345678"
    assert mask_in_text(text, known=["e12345678"]) == (
        "护照号 ******678，另一本 E123456789，XE12345678"
    )
    # too short to be told apart from other text: left alone
    assert mask_in_text("编号12345", known=["12345"]) == "编号12345"
    assert mask_in_text("", known=[""]) == ""


# --- one copy ----------------------------------------------------------------------------------


def test_the_scanner_uses_the_same_finder_and_masks():
    from gongkai.scan import scan, scanner

    for name in ("mask_resident_id", "_RESIDENT_ID", "_MOBILE", "_PROVINCES", "_is_resident_id"):
        assert not hasattr(scanner, name), name
    text = f"身份证{ID_FUJIAN}，手机139 1234 5678，旧证{ID_OLD}"
    assert [(f.kind, f.masked) for f in scan(text)] == [
        (n.kind, n.masked) for n in find_numbers(text)
    ]


def test_no_other_id_finder_or_mask_in_the_code():
    """The patterns of an ID number and the literal masks live in gongkai/law/privacy.py only."""
    law = ROOT / "gongkai" / "law" / "privacy.py"
    pattern = re.compile(r"\{17\}|\{15\}|\*{8,}|138\*{4}")
    offenders = []
    for path in (ROOT / "gongkai").rglob("*"):
        if path == law or path.suffix not in (".py", ".html") or "migrations" in path.parts:
            continue  # owned by the lead: see the report of issue 13
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and "6222" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


# --- the pages ---------------------------------------------------------------------------------


@pytest.fixture
def today(today_is):
    today_is(TODAY)


def _register(county, **changes):
    from gongkai.applications import services
    from gongkai.applications.models import Channel

    data = {
        "applicant_type": "natural_person",
        "name": "李四",
        "id_type": "resident_id",
        "id_number": ID_X,
        "phone": "13912345678",
        "email": "lisi@example.org",
        "address": "测试县城关镇2号",
        "postcode": "",
        "description": "2025年本镇危房改造补助名单",
        "delivery": "email",
        **changes,
    }
    application, _ = services.register(
        county.clerk, county.civil, data, channel=Channel.IN_PERSON, submitted_on=D(2026, 11, 16)
    )
    return application


def test_the_case_page_masks_ids_in_the_request_like_the_id_field(county, today):
    grouped = f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:]}"
    application = _register(
        county,
        description=f"本人身份证 {grouped}，我父亲的旧证 {ID_OLD}，手机 139-1234-5678，"
        "申请2025年低保名单",
    )
    url = reverse("office:case", args=[application.pk])
    handler = county.client_for(county.clerk).get(url).content.decode()
    assert grouped in handler and ID_OLD in handler
    for persona in ("supervisor", "reviewer1", "admin"):
        page = county.client_for(getattr(county, persona)).get(url).content.decode()
        assert ID_X not in page and grouped not in page and ID_OLD not in page, persona
        # the field and the request's text show the one mask
        assert page.count(mask_id(ID_X)) >= 2, persona
        assert mask_id(ID_OLD) in page and "139****5678" in page, persona


def test_the_case_page_masks_the_applicants_passport_number_in_the_request(county, today):
    application = _register(
        county,
        id_type="passport",
        id_number="E12345678",
        description="护照号码E12345678，申请本人低保档案",
    )
    url = reverse("office:case", args=[application.pk])
    page = county.client_for(county.supervisor).get(url).content.decode()
    assert "E12345678" not in page
    assert page.count(mask_id("E12345678")) >= 2


def test_the_reissue_note_is_masked_like_the_id_field(county, today):
    from gongkai.applications import services
    from gongkai.history.models import Event

    application = _register(county)
    services.reissue_query_code(
        county.clerk, application, f"当面查验居民身份证 {ID_X.lower()}，回拨 13912345678"
    )
    summary = Event.objects.filter(action="application.code_reissue").get().summary
    assert ID_X.lower() not in summary and mask_id(ID_X) in summary
    assert "13912345678" not in summary and "139****5678" in summary


def test_a_grouped_id_is_accepted_on_the_form_and_stored_plain(county, today, client):
    from django.core.cache import caches

    from gongkai.applications.models import Application

    caches["ratelimit"].clear()
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {
            "applicant_type": "natural_person",
            "name": "李四",
            "id_type": "resident_id",
            "id_number": f"{ID_X[:6]} {ID_X[6:14]} {ID_X[14:].lower()}",
            "phone": "13912345678",
            "email": "lisi@example.org",
            "address": "测试县城关镇2号",
            "postcode": "",
            "description": "2025年本镇危房改造补助名单",
            "delivery": "email",
            "confirm": "on",
            "token": "tok-privacy",
        },
    )
    caches["ratelimit"].clear()
    assert response.status_code == 302
    assert Application.objects.get().id_number == ID_X


def test_the_item_page_reads_the_labels_and_examples_from_python(county):
    from gongkai.catalog import services
    from gongkai.scan import LABELS

    item = services.create(
        county.clerk,
        county.civil,
        {
            "title": "公示",
            "document_number": "",
            "category": "a20-11",
            "kind": "normative",
            "formed_on": D(2026, 9, 28),
            "written_on": D(2026, 9, 25),
            "body": f"张三，身份证号{ID_FUJIAN}，电话13800001234。",
        },
    )
    item = services.submit(county.clerk, item)
    page = county.client_for(county.reviewer1).get(reverse("office:item", args=[item.pk]))
    text = page.content.decode()
    assert LABELS["resident_id"] in text and LABELS["mobile"] in text
    assert mask_id(ID_FUJIAN) in text  # the body itself is shown to the reviewer as written
    assert f"“{MASK_EXAMPLES['mobile']}”“{MASK_EXAMPLES['resident_id']}”" in text
