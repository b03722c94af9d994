"""The pre-publication scan (``gongkai.scan``) and ``gongkai scan``: plain Python, no database."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import time

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.agencies.codes import make_uscc
from gongkai.cli import main
from gongkai.scan import KINDS, Finding, scan
from gongkai.scan.cli import html_text, scan_main

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(body: str) -> str:
    """A 17-digit body and its GB 11643-1999 check character."""
    assert len(body) == 17
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, WEIGHTS, strict=True)) % 11]


def luhn_complete(body: str) -> str:
    """``body`` and the digit that makes it pass the Luhn check."""
    for last in "0123456789":
        if luhn_ok(body + last):
            return body + last
    raise AssertionError("unreachable")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def kinds(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan(text, **kwargs)]


def only(text: str, **kwargs) -> Finding:
    findings = scan(text, **kwargs)
    assert len(findings) == 1, findings
    return findings[0]


ID_FUJIAN = id_number("35010219800101123")  # 福州市鼓楼区, born 1980-01-01
CARD_19 = luhn_complete("622202123456789012")
CARD_16 = luhn_complete("436742123456789")


# --- resident ID -------------------------------------------------------------------------------


def test_known_id_number_with_x_check_character():
    assert id_number("11010519491231002") == "11010519491231002X"
    finding = only("申请人身份证号码：11010519491231002X。")
    assert finding.kind == "resident_id"
    assert finding.text == "11010519491231002X"
    assert finding.masked == "11*************02X"
    assert (finding.start, finding.end) == (9, 27)


def test_wrong_check_digit_is_not_an_id():
    assert kinds("身份证号码：110105194912310021。") == []


def test_lower_case_x_is_accepted_and_masked_upper_case():
    finding = only("号码11010519491231002x，")
    assert finding.text == "11010519491231002x"
    assert finding.masked == "11*************02X"


def test_mask_matches_the_regulation_form():
    # docs/law/privacy.md: 身份证号码写成 35*************123
    finding = only(f"身份证：{ID_FUJIAN}")
    assert finding.masked == f"35{'*' * 13}{ID_FUJIAN[-3:]}"
    assert len(finding.masked) == 18
    assert finding.masked.count("*") == 13


def test_grouped_id_number():
    grouped = f"{ID_FUJIAN[:6]} {ID_FUJIAN[6:14]} {ID_FUJIAN[14:]}"
    finding = only(f"身份证 {grouped} 。")
    assert finding.kind == "resident_id"
    assert finding.text == grouped
    assert finding.masked == f"35{'*' * 13}{ID_FUJIAN[-3:]}"


def test_old_fifteen_digit_number():
    finding = only("旧身份证号350102800101123，已换领。")
    assert finding.kind == "resident_id"
    assert finding.text == "350102800101123"
    assert finding.masked == "35**********123"


@pytest.mark.parametrize(
    "number",
    [
        id_number("35010219800231123"),  # 2 月 31 日
        id_number("35010218991231123"),  # before 1900
        id_number("35010220991231123"),  # not born yet
        id_number("35010219801301123"),  # month 13
        id_number("00010219800101123"),  # no province 00
        "350102801301123",  # 15 digits, month 13
        "350102800230123",  # 15 digits, 2 月 30 日
    ],
)
def test_impossible_birth_dates_and_regions_are_not_ids(number):
    assert kinds(f"号码：{number}。") == []


def test_born_today_is_possible_born_tomorrow_is_not():
    today = dt.date.today()
    tomorrow = today + dt.timedelta(days=1)
    assert kinds(id_number(f"350102{today:%Y%m%d}123"))[0][0] == "resident_id"
    # (Such a number may still pass the Luhn check and be reported as a card.)
    assert "resident_id" not in dict(kinds(id_number(f"350102{tomorrow:%Y%m%d}123")))


@pytest.mark.parametrize(
    "text",
    [
        f"9{ID_FUJIAN}",
        f"{ID_FUJIAN}9",
        f"12{ID_FUJIAN}34",
        f"A{ID_FUJIAN}",
        f"{ID_FUJIAN}B",
        f"P0{ID_FUJIAN}.pdf",
        f"0.{ID_FUJIAN}",
        f"{ID_FUJIAN}.5",
    ],
)
def test_id_inside_a_longer_run_is_not_found(text):
    assert kinds(text) == []


def test_full_width_digits():
    wide = ID_FUJIAN.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
    finding = only(f"身份证号：{wide}")
    assert finding.text == wide
    assert finding.masked == f"35{'*' * 13}{ID_FUJIAN[-3:]}"


# --- mobile ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "13812345678",
        "138-1234-5678",
        "138 1234 5678",
        "+86 13812345678",
        "+8613812345678",
        "+86-138-1234-5678",
        "0086 138 1234 5678",
        "(+86)13812345678",
        "１３８１２３４５６７８",
        "138　1234　5678",
    ],
)
def test_mobile_formats(written):
    text = f"联系电话：{written}，工作日可拨打。"
    finding = only(text)
    assert finding.kind == "mobile"
    assert finding.text == written
    assert text[finding.start : finding.end] == written
    assert finding.masked == "138****5678"


@pytest.mark.parametrize(
    "text",
    [
        "138123456789",  # 12 digits
        "2138123456789",
        "1381234567",  # 10 digits
        "12812345678",  # no mobile network starts with 12
        "0591-87654321",  # a landline
        "138-1234 5678",  # two kinds of separator
        "编号A13812345678",
        "13812345678x",
    ],
)
def test_not_mobile_numbers(text):
    assert kinds(text) == []


def test_every_mobile_number_in_a_list():
    found = scan("13812345678、13912345678，15012345678 19912345678")
    assert [f.masked for f in found] == ["138****5678", "139****5678", "150****5678", "199****5678"]


# --- bank card ---------------------------------------------------------------------------------


def test_luhn_valid_card_plain_and_grouped():
    assert len(CARD_19) == 19 and luhn_ok(CARD_19)
    finding = only(f"退款账户：{CARD_19}（工商银行）")
    assert finding.kind == "bank_card"
    assert finding.masked == f"6222{'*' * 11}{CARD_19[-4:]}"

    grouped = " ".join(CARD_19[i : i + 4] for i in range(0, 19, 4))
    assert grouped.count(" ") == 4
    finding = only(f"卡号 {grouped} 户名张三")
    assert finding.kind == "bank_card"
    assert finding.text == grouped
    assert finding.masked == f"6222{'*' * 11}{CARD_19[-4:]}"

    hyphens = "-".join(CARD_16[i : i + 4] for i in range(0, 16, 4))
    finding = only(f"卡号：{hyphens}")
    assert (finding.kind, finding.text, finding.masked) == (
        "bank_card",
        hyphens,
        f"4367{'*' * 8}{CARD_16[-4:]}",
    )


def test_luhn_invalid_card_is_not_reported():
    wrong = CARD_19[:-1] + str((int(CARD_19[-1]) + 1) % 10)
    assert not luhn_ok(wrong)
    assert kinds(f"卡号：{wrong}") == []
    assert kinds(" ".join(wrong[i : i + 4] for i in range(0, 19, 4))) == []


def test_card_in_a_longer_run_is_not_reported():
    twenty = luhn_complete("6222021234567890123")  # 20 digits: no card is that long
    assert kinds(twenty) == []
    assert kinds(" ".join(twenty[i : i + 4] for i in range(0, 20, 4))) == []
    assert kinds(f"9{CARD_19}") == []


def test_case_numbers_starting_with_a_year_are_not_cards():
    number = luhn_complete("202335010000012")
    assert luhn_ok(number) and len(number) == 16
    assert kinds(f"案件编号 {number}") == []


def test_uscc_is_not_a_bank_card():
    for n in range(1000):
        code = make_uscc("91", "350102", f"{n:08d}")
        if code.isdigit() and luhn_ok(code):
            break
    else:
        pytest.fail("no all-digit Luhn-valid 统一社会信用代码 in the first thousand")
    assert kinds(f"统一社会信用代码：{code}") == []


def test_id_number_that_passes_luhn_is_an_id_only():
    for seq in range(1000):
        number = id_number(f"35010219800101{seq:03d}")
        if number.isdigit() and luhn_ok(number):
            break
    else:
        pytest.fail("no Luhn-valid ID number found")
    assert kinds(number) == [("resident_id", number)]


def test_a_card_is_never_also_a_mobile_number():
    card = luhn_complete("621381234567801")
    assert kinds(f"卡号{card}") == [("bank_card", card)]


# --- classification ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("秘密★1年\n关于……的通知", "秘密★1年"),
        ("机密★10年", "机密★10年"),
        ("绝密★长期", "绝密★长期"),
        ("本件 秘密★ 请妥善保管", "秘密★"),
        ("机密\n关于……的请示", "机密"),
        ("  绝密 \n正文", "绝密"),
        ("文件标注【绝密】字样", "绝密"),
        ("［机密★1年］", "机密★1年"),
        ("（秘密）", "秘密"),
        ("（内部）请勿外传", "内部"),
        ("密级：秘密", "秘密"),
        ("密级:机密", "机密"),
        ("此件为内部资料，请勿转发", "内部资料"),
        ("涉及工作秘密的事项", "工作秘密"),
        ("仅供内部使用", "内部使用"),
        ("工作秘密★1年", "工作秘密★1年"),
        ("内部★", "内部★"),
        ("内部\n", "内部"),
        ("附件 机密 10年", "机密 10年"),
    ],
)
def test_classification_marks(text, mark):
    finding = only(text)
    assert finding.kind == "classification"
    assert finding.text == mark
    assert finding.masked == mark
    assert text[finding.start : finding.end] == mark


@pytest.mark.parametrize(
    "text",
    [
        "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，不予公开。",
        "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。",
        "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。",
        "加强内部管理。",
        "绝密级国家秘密是最重要的国家秘密。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "保障数据的机密性、完整性。",
        "秘密文件应当按规定管理。",
        "内部控制制度",
        "知悉商业秘密3年以上的人员",
        "国家秘密的保密期限，除另有规定外，绝密级不超过三十年，机密级不超过二十年。",
    ],
)
def test_law_text_is_not_a_mark(text):
    assert kinds(text) == []


# --- sensitive words ---------------------------------------------------------------------------


def test_sensitive_words_every_occurrence_ignoring_case():
    text = "ABC 公司与 abc 公司、Abc 公司；张三、张三丰"
    found = scan(text, sensitive_words=["abc", "张三", "", "  "])
    assert [(f.kind, f.text) for f in found] == [
        ("sensitive_word", "ABC"),
        ("sensitive_word", "abc"),
        ("sensitive_word", "Abc"),
        ("sensitive_word", "张三"),
        ("sensitive_word", "张三"),
    ]
    assert all(f.masked == f.text == text[f.start : f.end] for f in found)


def test_longer_word_wins_at_the_same_place():
    found = scan("张三丰来访", sensitive_words=["张三", "张三丰", "三丰来"])
    assert [f.text for f in found] == ["张三丰"]


def test_sensitive_words_ignore_width():
    assert kinds("ＡＢＣ公司", sensitive_words=["abc"]) == [("sensitive_word", "ＡＢＣ")]


def test_many_sensitive_words_stay_fast():
    words = [f"词{i:05d}" for i in range(5000)]
    text = "无关内容，" * 20_000 + "词04321"
    started = time.perf_counter()
    found = scan(text, sensitive_words=words)
    assert time.perf_counter() - started < 2
    assert [f.text for f in found] == ["词04321"]


def test_mark_beats_a_sensitive_word():
    assert kinds("秘密★1年", sensitive_words=["秘密"]) == [("classification", "秘密★1年")]
    assert kinds("商业秘密", sensitive_words=["秘密"]) == [("sensitive_word", "秘密")]


# --- the whole result --------------------------------------------------------------------------


def test_mixed_text_sorted_with_positions():
    text = (
        "秘密★1年\n"
        f"申请人张三，身份证号 {ID_FUJIAN}，手机 138-1234-5678，"
        f"银行卡 {CARD_19}。该信息属于内部事务信息。"
    )
    found = scan(text, sensitive_words=["张三"])
    assert [f.kind for f in found] == [
        "classification",
        "sensitive_word",
        "resident_id",
        "mobile",
        "bank_card",
    ]
    for f in found:
        assert text[f.start : f.end] == f.text


def test_finding_label_and_json():
    finding = only("电话13812345678")
    assert finding.label == "手机号"
    assert finding.as_json() == {
        "kind": "mobile",
        "text": "13812345678",
        "masked": "138****5678",
        "start": 2,
        "end": 13,
    }
    assert {Finding(k, "", "", 0, 0).label for k in KINDS} == {
        "身份证号",
        "手机号",
        "银行卡号",
        "密级标志",
        "敏感词",
    }
    with pytest.raises(AttributeError):
        finding.start = 0  # frozen


# --- properties --------------------------------------------------------------------------------

ALPHABET = "0123456789Xx -+.（）()【】★秘密机绝内部资料工作商业国家级年长期\n\t张三aB"


@st.composite
def valid_ids(draw) -> str:
    region = draw(st.sampled_from(["110105", "350102", "440305", "650102", "820000"]))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date.today()))
    sequence = draw(st.integers(0, 999))
    return id_number(f"{region}{born:%Y%m%d}{sequence:03d}")


fragments = st.one_of(
    st.text(ALPHABET, max_size=30),
    valid_ids(),
    st.sampled_from([CARD_19, CARD_16, "13812345678", "138-1234-5678", "秘密★1年", "【内部】"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(fragments, max_size=12), st.lists(st.text(ALPHABET, max_size=4), max_size=4))
def test_findings_are_slices_sorted_and_disjoint(parts, words):
    text = "".join(parts)
    found = scan(text, sensitive_words=words)
    previous_end = 0
    for f in found:
        assert f.kind in KINDS
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert f.start >= previous_end
        previous_end = f.end
        if f.kind == "resident_id":
            assert f.masked.count("*") == len(f.masked) - 5
        if f.kind == "mobile":
            assert f.masked[3:7] == "****" and len(f.masked) == 11
        if f.kind == "bank_card":
            assert f.masked.count("*") == len(f.masked) - 8


@settings(max_examples=200, deadline=None)
@given(valid_ids(), st.sampled_from(["", " ", "，", "：", "\n", "号", "（"]))
def test_every_valid_id_between_separators_is_found(number, around):
    text = f"身份证{around}{number}{around}完"
    finding = only(text)
    assert (finding.kind, finding.text) == ("resident_id", number)
    assert finding.masked == number[:2] + "*" * 13 + number[-3:].upper()


# --- gongkai scan ------------------------------------------------------------------------------


def run(capsys, *argv):
    status = scan_main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_no_findings(tmp_path, capsys):
    page = tmp_path / "clean.txt"
    page.write_text("依法确定为国家秘密的政府信息不予公开。\n", encoding="utf-8")
    status, out, err = run(capsys, str(page))
    assert status == 0
    assert out == ""
    assert "未发现" in err
    status, out, _ = run(capsys, str(page), "--json")
    assert (status, json.loads(out)) == (0, {"findings": []})


def test_cli_human_output_is_masked(tmp_path, capsys):
    page = tmp_path / "reply.md"
    page.write_text(
        f"# 答复书\n\n申请人身份证号码：{ID_FUJIAN}\n联系电话：13812345678\n",
        encoding="utf-8",
    )
    status, out, err = run(capsys, str(page))
    assert status == 1
    assert out.splitlines() == [
        f"第 3 行第 10 列  身份证号  35{'*' * 13}{ID_FUJIAN[-3:]}",
        "第 4 行第 6 列  手机号  138****5678",
    ]
    assert ID_FUJIAN not in out + err
    assert "13812345678" not in out + err
    assert "共发现 2 处" in err


def test_cli_json_shape(tmp_path, capsys):
    page = tmp_path / "item.txt"
    text = f"秘密★1年\r\n身份证 {ID_FUJIAN}\r\n"
    page.write_bytes(text.encode("utf-8"))
    status, out, _ = run(capsys, str(page), "--json")
    assert status == 1
    start = text.index(ID_FUJIAN)
    assert json.loads(out) == {
        "findings": [
            {
                "kind": "classification",
                "text": "秘密★1年",
                "masked": "秘密★1年",
                "start": 0,
                "end": 5,
            },
            {
                "kind": "resident_id",
                "text": ID_FUJIAN,
                "masked": f"35{'*' * 13}{ID_FUJIAN[-3:]}",
                "start": start,
                "end": start + 18,
            },
        ]
    }
    assert "秘密" in out  # ensure_ascii=False: Chinese as written, not \u escapes


def test_cli_words_file(tmp_path, capsys):
    words = tmp_path / "words.txt"
    words.write_text("\ufeff# 本单位敏感词\n\n张三\n  某某项目  \n", encoding="utf-8")
    page = tmp_path / "a.txt"
    page.write_text("张三申请公开某某项目的文件。#不是词", encoding="utf-8")
    status, out, _ = run(capsys, str(page), "--words", str(words), "--json")
    assert status == 1
    assert [f["text"] for f in json.loads(out)["findings"]] == ["张三", "某某项目"]
    status, out, _ = run(capsys, str(page), "--words", str(words))
    assert out.splitlines() == ["第 1 行第 1 列  敏感词  张三", "第 1 行第 7 列  敏感词  某某项目"]


def test_cli_docx(tmp_path, capsys):
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "内部资料"
    document.add_paragraph("关于某某事项的公示")
    document.add_paragraph(f"身份证号：{ID_FUJIAN}")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "联系电话"
    table.cell(0, 1).text = "13912345678"
    path = tmp_path / "公示.docx"
    document.save(str(path))

    status, out, _ = run(capsys, str(path), "--json")
    assert status == 1
    found = json.loads(out)["findings"]
    assert [(f["kind"], f["text"]) for f in found] == [
        ("resident_id", ID_FUJIAN),
        ("mobile", "13912345678"),
        ("classification", "内部资料"),
    ]
    status, out, _ = run(capsys, str(path))
    assert out.splitlines() == [
        f"第 2 行第 6 列  身份证号  35{'*' * 13}{ID_FUJIAN[-3:]}",
        "第 4 行第 1 列  手机号  139****5678",
        "第 5 行第 1 列  密级标志  内部资料",
    ]


def test_cli_html_positions_refer_to_the_text(tmp_path, capsys):
    # The ID is split by an inline tag and a character reference; table cells stay apart.
    source = (
        "<html><head><style>p{color:red}</style><script>var t='13912345678';</script></head>"
        f"<body><p>身份证号：<b>{ID_FUJIAN[:6]}</b>{ID_FUJIAN[6:14]}&#49;{ID_FUJIAN[15:]}</p>"
        "<table><tr><td>1381234</td><td>5678</td></tr></table>"
        "<p>联系电话&nbsp;138&nbsp;1234&nbsp;5678</p></body></html>"
    )
    assert ID_FUJIAN[14] == "1"
    page = tmp_path / "page.html"
    page.write_text(source, encoding="utf-8")
    status, out, _ = run(capsys, str(page), "--json")
    assert status == 1
    text = html_text(source)
    assert "13912345678" not in text  # script dropped
    assert "color" not in text  # style dropped
    found = json.loads(out)["findings"]
    assert [(f["kind"], f["text"]) for f in found] == [
        ("resident_id", ID_FUJIAN),
        ("mobile", "138\xa01234\xa05678"),
    ]
    for f in found:
        assert text[f["start"] : f["end"]] == f["text"]
    status, out, _ = run(capsys, str(page))
    assert out.splitlines()[0] == f"第 1 行第 6 列  身份证号  35{'*' * 13}{ID_FUJIAN[-3:]}"


def test_cli_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("手机 13812345678\n"))
    status, out, _ = run(capsys, "-")
    assert (status, out) == (1, "第 1 行第 4 列  手机号  138****5678\n")

    raw = io.TextIOWrapper(io.BytesIO("\ufeff机密★1年".encode()), encoding="latin-1")
    monkeypatch.setattr(sys, "stdin", raw)
    status, out, _ = run(capsys, "-", "--json")
    assert status == 1
    assert json.loads(out)["findings"][0]["text"] == "机密★1年"
    assert json.loads(out)["findings"][0]["start"] == 0


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "missing.txt", "不存在"),
        (lambda d: d, "不支持的文件类型"),
        (lambda d: _write(d / "report.pdf", b"%PDF-1.7"), "不支持的文件类型"),
        (lambda d: _write(d / "old.doc", b"\xd0\xcf\x11\xe0"), "另存为 .docx"),
        (lambda d: _write(d / "gbk.txt", "身份证号码".encode("gbk")), "不是 UTF-8 编码"),
        (lambda d: _write(d / "broken.docx", b"PK\x03\x04 not really"), "无法读取 Word 文件"),
    ],
)
def test_cli_unreadable_files(tmp_path, capsys, setup, message):
    status, out, err = run(capsys, str(setup(tmp_path)))
    assert status == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


def test_cli_folder_named_like_a_text_file(tmp_path, capsys):
    folder = tmp_path / "notes.txt"
    folder.mkdir()
    status, _, err = run(capsys, str(folder))
    assert status == 2
    assert "是文件夹" in err


def test_cli_bad_arguments(tmp_path, capsys):
    status, _, err = run(capsys)
    assert status == 2 and "参数错误" in err
    status, _, err = run(capsys, "a.txt", "--nope")
    assert status == 2 and "参数错误" in err
    page = tmp_path / "a.txt"
    page.write_text("x", encoding="utf-8")
    status, _, err = run(capsys, str(page), "--words", str(tmp_path / "none.txt"))
    assert status == 2 and "敏感词表" in err and "不存在" in err


def test_registered_as_gongkai_scan(tmp_path, capsys):
    page = tmp_path / "a.txt"
    page.write_text("绝密★长期", encoding="utf-8")
    assert main(["scan", str(page)]) == 1
    assert "密级标志  绝密★长期" in capsys.readouterr().out
    main(["--help"])
    assert "scan" in capsys.readouterr().out


def test_importing_the_scan_does_not_import_django():
    code = (
        "import sys, gongkai.scan, gongkai.scan.cli\n"
        "gongkai.scan.scan('13812345678')\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
