"""Chinese full-text search (gongkai.search) on whichever database the run uses: SQLite by
default, PostgreSQL with DATABASE_URL. Every test but the two query-plan ones runs on both."""

from __future__ import annotations

import datetime as dt
import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from gongkai.search import index, query
from gongkai.search.models import Entry

D = dt.date

LOW_INCOME = "关于调整城乡最低生活保障（低保）标准的通知"
LOW_INCOME_BODY = (
    "各乡镇人民政府、街道办事处：\n"
    "为切实保障城乡困难群众基本生活，经县人民政府同意，自2025年7月1日起，"
    "城市低保标准由每人每月720元提高到760元，农村低保标准由每人每年6000元提高到6480元。"
    "各地要按照新标准及时调整低保对象的保障金额，确保提标资金按月足额发放到户。"
)
RELIEF = "2024年临时救助工作开展情况"
RELIEF_BODY = (
    "2024年，全县共实施临时救助1862人次，发放临时救助资金312.6万元。"
    "对遭遇突发事件、意外伤害、重大疾病导致基本生活陷入困境的家庭，乡镇可先行救助。"
)
BUDGET = "2025年财政预算执行情况的报告"
BUDGET_BODY = (
    "今年以来，在县委的坚强领导下，全县财政预算执行总体平稳。一般公共预算收入完成"
    "8.6亿元，同比增长4.2%。民生支出占比保持在八成以上，城乡低保资金全部纳入预算保障。"
)
CIVIL_SERVANTS = "2025年度考试录用公务员招考公告"
CIVIL_SERVANTS_BODY = (
    "根据《中华人民共和国公务员法》和《公务员录用规定》，现将本县2025年度考试录用公务员"
    "的职位、名额和报考条件公告如下。报名时间为3月10日至3月20日。"
)
OLD_RULES = "关于印发城乡低保审核审批办法的通知"
OLD_RULES_BODY = "现将《城乡低保审核审批办法》印发给你们，请认真贯彻执行。本办法自印发之日起施行。"
DISCLOSURE = "政府信息公开工作年度报告"
DISCLOSURE_BODY = (
    "本报告根据《中华人民共和国政府信息公开条例》要求编制，内容包括主动公开政府信息情况、"
    "收到和处理政府信息公开申请情况等。"
)


@pytest.fixture
def docs(county):
    """Six published documents of two agencies, over three years."""
    index.update(
        "item:1",
        agency=county.civil,
        title=LOW_INCOME,
        body=LOW_INCOME_BODY,
        url="/civil/items/1/",
        published_on=D(2025, 6, 20),
        category="a20-05",
        validity="in_force",
        kind="通知",
    )
    index.update(
        "item:2",
        agency=county.civil,
        title=RELIEF,
        body=RELIEF_BODY,
        url="/civil/items/2/",
        published_on=D(2025, 1, 15),
        category="a20-04",
        validity="in_force",
        kind="报告",
    )
    index.update(
        "item:3",
        agency=county.finance,
        title=BUDGET,
        body=BUDGET_BODY,
        url="/finance/items/3/",
        published_on=D(2025, 8, 1),
        category="a20-07",
        validity="in_force",
        kind="报告",
    )
    index.update(
        "item:4",
        agency=county.finance,
        title=CIVIL_SERVANTS,
        body=CIVIL_SERVANTS_BODY,
        url="/finance/items/4/",
        published_on=D(2025, 2, 28),
        category="a20-14",
        kind="公告",
    )
    index.update(
        "item:5",
        agency=county.civil,
        title=OLD_RULES,
        body=OLD_RULES_BODY,
        url="/civil/items/5/",
        published_on=D(2019, 3, 5),
        category="a20-01",
        validity="repealed",
        kind="通知",
    )
    index.update(
        "report:2024",
        agency=county.county,
        title=DISCLOSURE,
        body=DISCLOSURE_BODY,
        url="/county/reports/2024/",
        published_on=D(2025, 1, 20),
        category="",
        kind="年报",
    )
    return county


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


def key_set(q: str, **filters) -> set[str]:
    return set(keys(query.search(q, **filters)))


def text_of(fragment: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", fragment))


# --- segmentation -----------------------------------------------------------------------------


def test_tokenize_cuts_for_search_and_drops_punctuation():
    tokens = index.tokenize("城乡最低生活保障（低保）标准调整的通知。")
    assert {"城乡", "最低", "生活", "保障", "低保", "标准", "调整", "通知"} <= set(tokens)
    assert not {"（", "）", "。", " ", ""} & set(tokens)
    # cut_for_search: the long word and the dictionary words inside it.
    assert {"中华人民共和国政府", "人民", "共和国", "政府"} <= set(
        index.tokenize("中华人民共和国政府信息公开条例")
    )
    assert {"财政预算", "财政", "预算"} <= set(index.tokenize("2025年财政预算"))


def test_tokenize_latin_digits_and_full_width():
    assert index.tokenize("COVID-19 E-Mail ＧＤＰ增长３.５％") == [
        "covid",
        "19",
        "e",
        "mail",
        "gdp",
        "增长",
        "3",
        "5",
    ]
    assert index.tokenize("") == []
    assert index.tokenize(" ，。！？…… ") == []


def test_tokens_column_is_title_and_body(docs):
    entry = Entry.objects.get(key="item:2")
    assert entry.tokens == " ".join(index.tokenize(RELIEF) + index.tokenize(RELIEF_BODY))
    assert entry.year == 2025
    assert entry.agency == docs.civil


# --- what a query matches ---------------------------------------------------------------------


def test_two_character_word_finds_the_right_documents(docs):
    results = query.search("低保")
    # In the titles of 1 and 5, in the body of 3 (城乡低保资金); never in 2, 4 or the report.
    assert set(keys(results)) == {"item:1", "item:3", "item:5"}
    assert results.total == 3
    assert results.query_terms == ["低保"]


def test_four_character_words(docs):
    assert key_set("临时救助") == {"item:2"}
    assert key_set("预算执行") == {"item:3"}
    assert key_set("最低生活") == {"item:1"}
    assert key_set("公务员招考") == {"item:4"}


def test_long_word_and_its_parts(docs):
    # 最低生活保障 is three words to jieba: all three must be there.
    assert key_set("最低生活保障") == {"item:1"}
    assert key_set("生活保障") == {"item:1"}
    # 财政预算 is one dictionary word; its parts were indexed too.
    assert key_set("财政预算") == {"item:3"}
    assert key_set("财政") == {"item:3"}
    # 公务员 is inside 公务员招考, and 中华人民共和国 inside 中华人民共和国政府 (the disclosure
    # report) as well as on its own (the recruitment notice).
    assert key_set("公务员") == {"item:4"}
    assert key_set("中华人民共和国") == {"item:4", "report:2024"}


def test_every_word_must_match(docs):
    assert key_set("低保 预算") == {"item:3"}
    assert key_set("低保 标准") == {"item:1"}
    assert key_set("临时救助 低保") == set()
    assert key_set("低保 公务员") == set()
    results = query.search("城乡低保，标准！")
    assert results.query_terms == ["城乡", "低保", "标准"]
    assert set(keys(results)) == {"item:1"}


def test_a_function_word_does_not_narrow_the_query(docs):
    assert key_set("低保的标准") == key_set("低保 标准") == {"item:1"}


def test_latin_words_ignore_case(county):
    index.update(
        "item:gdp",
        agency=county.finance,
        title="全县GDP核算情况",
        body="2025年全县地区生产总值（GDP）增长5.1%。",
        url="/x/",
        published_on=D(2025, 4, 1),
    )
    assert key_set("gdp") == {"item:gdp"}
    assert key_set("Gdp 核算") == {"item:gdp"}
    hit = query.search("gdp").hits[0]
    assert "<mark>GDP</mark>" in hit.title_html


def test_no_match(docs):
    results = query.search("核酸检测")
    assert results.total == 0
    assert results.hits == []


# --- filters ----------------------------------------------------------------------------------


def test_filter_by_agency(docs):
    assert key_set("低保", agency_ids=[docs.civil.pk]) == {"item:1", "item:5"}
    assert key_set("低保", agency_ids=[docs.finance.pk]) == {"item:3"}
    assert key_set("低保", agency_ids=[docs.civil.pk, docs.finance.pk]) == {
        "item:1",
        "item:3",
        "item:5",
    }
    assert key_set("低保", agency_ids=[]) == set()


def test_filter_by_category(docs):
    assert key_set("低保", category="a20-07") == {"item:3"}
    assert key_set("低保", category="a20-14") == set()


def test_filter_by_year(docs):
    assert key_set("低保", year=2019) == {"item:5"}
    assert key_set("低保", year=2025) == {"item:1", "item:3"}


def test_filter_by_validity_and_kind(docs):
    assert key_set("低保", validity="repealed") == {"item:5"}
    assert key_set("低保", validity="in_force") == {"item:1", "item:3"}
    assert key_set("低保", kind="报告") == {"item:3"}
    assert key_set("低保", kind="通知", validity="in_force", year=2025) == {"item:1"}


def test_blank_filters_are_no_filters(docs):
    assert key_set("低保", category="", validity=None, kind="", year=None) == {
        "item:1",
        "item:3",
        "item:5",
    }


# --- ranking, highlighting --------------------------------------------------------------------


def test_title_match_ranks_before_body_only_mention(county):
    index.update(
        "item:title",
        agency=county.civil,
        title="农村低保对象认定工作方案",
        body="为规范认定程序，现制定本方案。",
        url="/a/",
        published_on=D(2023, 1, 1),
    )
    index.update(
        "item:body",
        agency=county.civil,
        title="民生实事项目进展情况",
        body="低保提标、低保扩面、低保资金发放均已完成，低保对象满意度较高。" * 3,
        url="/b/",
        published_on=D(2025, 12, 1),  # newer and more mentions: still second
    )
    results = query.search("低保")
    assert keys(results) == ["item:title", "item:body"]


def test_more_relevant_body_ranks_first_among_body_matches(county):
    index.update(
        "item:once",
        agency=county.civil,
        title="民政工作要点",
        body="做好养老服务、儿童福利、殡葬管理、区划地名和临时救助等工作。" * 4,
        url="/a/",
        published_on=D(2025, 3, 1),
    )
    index.update(
        "item:often",
        agency=county.civil,
        title="困难群众帮扶情况",
        body="临时救助对象、临时救助标准和临时救助程序。",
        url="/b/",
        published_on=D(2024, 3, 1),
    )
    assert keys(query.search("救助")) == ["item:often", "item:once"]


def test_newest_first_when_equal(county):
    for n, day in enumerate([D(2023, 5, 1), D(2025, 5, 1), D(2024, 5, 1)]):
        index.update(
            f"item:same{n}",
            agency=county.civil,
            title="养老服务补贴发放名单",
            body="养老服务补贴发放名单公示。",
            url=f"/{n}/",
            published_on=day,
        )
    assert keys(query.search("养老")) == ["item:same1", "item:same2", "item:same0"]


def test_highlighting_marks_matches(docs):
    hit = next(h for h in query.search("低保").hits if h.key == "item:1")
    assert hit.title_html == "关于调整城乡最低生活保障（<mark>低保</mark>）标准的通知"
    assert "<mark>低保</mark>" in hit.snippet_html
    visible = text_of(hit.snippet_html)
    assert len(visible) <= query.SNIPPET_LENGTH + 2  # and the two "…"
    assert "\n" not in visible
    # The snippet starts a little before the first match in the body.
    first = LOW_INCOME_BODY.replace("\n", " ").index("低保")
    assert visible.startswith("…")
    assert LOW_INCOME_BODY.replace("\n", " ")[first - 10 : first + 2] in visible
    assert hit.url == "/civil/items/1/"
    assert hit.agency.name == "测试县民政局"


def test_highlighting_of_several_words_and_body_only_match(docs):
    hit = query.search("预算 低保").hits[0]
    assert hit.key == "item:3"
    assert "<mark>预算</mark>" in hit.title_html
    assert "低保" not in hit.title_html
    # The body is shorter than a snippet: both words are marked in it.
    assert "<mark>低保</mark>" in hit.snippet_html
    assert "<mark>预算</mark>" in hit.snippet_html


def test_snippet_without_match_in_body_is_the_beginning(county):
    index.update(
        "item:t",
        agency=county.civil,
        title="低保专项检查通报",
        body="为加强社会救助资金监管，县民政局会同县财政局开展了专项检查。" * 10,
        url="/t/",
        published_on=D(2025, 1, 1),
    )
    hit = query.search("低保").hits[0]
    assert text_of(hit.snippet_html).startswith("为加强社会救助资金监管")
    assert text_of(hit.snippet_html).endswith("…")


def test_html_in_body_and_title_is_escaped(county):
    index.update(
        "item:xss",
        agency=county.civil,
        title="低保<b>公示</b> & 说明",
        body="低保名单见附件<script>alert('低保')</script><img src=x onerror=alert(1)>。",
        url="/x/",
        published_on=D(2025, 1, 1),
    )
    hit = query.search("低保").hits[0]
    assert "<script>" not in hit.snippet_html
    assert "&lt;script&gt;alert(&#x27;<mark>低保</mark>&#x27;)&lt;/script&gt;" in hit.snippet_html
    assert "<img" not in hit.snippet_html
    assert hit.title_html == "<mark>低保</mark>&lt;b&gt;公示&lt;/b&gt; &amp; 说明"
    assert "<" not in re.sub(r"</?mark>", "", hit.snippet_html + hit.title_html)


def test_full_width_text_is_found_and_marked(county):
    index.update(
        "item:fw",
        agency=county.finance,
        title="ＧＤＰ核算说明",
        body="２０２５年第一季度全县ＧＤＰ同比增长５．１％……详见附表。",
        url="/fw/",
        published_on=D(2025, 4, 1),
    )
    hit = query.search("gdp 2025").hits[0]
    assert hit.title_html == "<mark>ＧＤＰ</mark>核算说明"
    assert hit.snippet_html.startswith("<mark>２０２５</mark>年第一季度全县<mark>ＧＤＰ</mark>同比")


def test_highlight_helpers():
    assert query.highlight("最低生活保障", ["生活", "生活保障"]) == "最低<mark>生活保障</mark>"
    assert query.highlight("a<b", []) == "a&lt;b"
    long_text = "甲" * 300 + "临时救助" + "乙" * 300
    piece = query.snippet(long_text, ["临时救助"])
    assert piece.startswith("…") and piece.endswith("…")
    assert "<mark>临时救助</mark>" in piece
    assert len(text_of(piece)) == query.SNIPPET_LENGTH + 2


# --- writing the index ------------------------------------------------------------------------


def test_update_replaces(docs):
    before = Entry.objects.count()
    index.update(
        "item:2",
        agency=docs.civil,
        title="2025年医疗救助工作情况",
        body="全年资助困难群众参加城乡居民医疗保险。",
        url="/civil/items/2/",
        published_on=D(2026, 1, 10),
        category="a20-04",
    )
    assert Entry.objects.count() == before
    assert key_set("临时救助") == set()
    assert key_set("医疗救助") == {"item:2"}
    entry = Entry.objects.get(key="item:2")
    assert entry.year == 2026
    assert entry.validity == ""
    assert key_set("医疗", year=2026) == {"item:2"}


def test_remove(docs):
    assert index.remove("item:1") is True
    assert key_set("低保") == {"item:3", "item:5"}
    assert key_set("最低生活保障") == set()
    assert index.remove("item:1") is False
    assert not Entry.objects.filter(key="item:1").exists()


def test_deleting_the_agency_takes_its_entries(county):
    index.update(
        "item:town",
        agency=county.town,
        title="城关镇低保公示",
        body="城关镇2025年第二季度低保对象名单公示。",
        url="/town/",
        published_on=D(2025, 7, 1),
    )
    assert key_set("低保") == {"item:town"}
    Entry.objects.filter(agency=county.town).delete()  # what CASCADE does for the agency
    assert key_set("低保") == set()


def test_update_accepts_an_agency_id_and_a_datetime(county):
    index.update(
        "item:id",
        agency=county.finance.pk,
        title="政府采购意向公开",
        body="",
        url="/p/",
        published_on=dt.datetime(2025, 5, 6, 10, 30),
    )
    entry = Entry.objects.get(key="item:id")
    assert entry.agency == county.finance
    assert entry.published_on == D(2025, 5, 6)
    assert key_set("采购") == {"item:id"}


def test_rebuild_resegments_and_reindexes(docs):
    Entry.objects.filter(key="item:2").update(tokens="")  # as if segmented by an older jieba
    assert key_set("临时救助") == set()
    lines = []
    assert index.rebuild(progress=lambda done, total: lines.append((done, total))) == 6
    assert lines[-1] == (6, 6)
    assert key_set("临时救助") == {"item:2"}
    assert key_set("低保") == {"item:1", "item:3", "item:5"}


def test_rebuild_command(docs):
    out = StringIO()
    Entry.objects.filter(key="item:3").update(tokens="")
    call_command("search_rebuild", stdout=out)
    assert "全文检索索引已重建：6 条" in out.getvalue()
    assert key_set("预算执行") == {"item:3"}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite triggers")
def test_rebuild_repairs_lost_triggers(docs):
    with connection.cursor() as cursor:
        for name in (
            "search_entry_fts_insert",
            "search_entry_fts_update",
            "search_entry_fts_delete",
        ):
            cursor.execute(f"DROP TRIGGER {name}")
    index.update(
        "item:late",
        agency=docs.civil,
        title="低保边缘家庭认定办法",
        body="",
        url="/l/",
        published_on=D(2025, 9, 1),
    )
    assert "item:late" not in key_set("低保")  # not indexed without the trigger
    index.rebuild()
    assert "item:late" in key_set("低保")
    index.remove("item:late")
    assert "item:late" not in key_set("低保")  # the delete trigger is back


# --- hostile and odd queries ------------------------------------------------------------------


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '""',
        "*",
        "低保*",
        "AND",
        "OR 低保",
        "低保 NOT 标准",
        "NEAR(",
        "NEAR(低保 标准, 2)",
        "-",
        "-低保",
        ":",
        "tokens:低保",
        "{tokens}: 低保",
        '"低保',
        '低保"标准',
        "^低保",
        "(低保",
        "低保)",
        "+低保",
        "'; DROP TABLE search_entry; --",
        "%",
        "_",
        "!低保%",
        "\\",
        "低保 & 标准 | !预算 <-> :*",
        "\x00低保",
    ],
)
def test_query_syntax_is_never_interpreted(docs, q):
    results = query.search(q)
    assert results.total == len(results.hits)
    assert Entry.objects.count() == 6
    words = set(results.query_terms)
    if not words:  # nothing but punctuation: nothing is searched
        assert results.total == 0
    elif words == {"低保"}:  # the symbols around the word are only separators
        assert set(keys(results)) == set(keys(query.search("低保")))
        assert results.total > 0


def test_special_characters_are_just_separators(docs):
    assert key_set("低保*") == key_set('"低保"') == key_set("-低保") == key_set("低保")
    assert key_set("NEAR(低保 标准, 2)") == set()  # "near" is a word that no document has
    assert key_set("低保:标准") == {"item:1"}


@pytest.mark.parametrize("q", ["", "   ", "，。！？", "……", "\n\t", None])
def test_empty_query_finds_nothing(docs, q):
    results = query.search(q)
    assert results.total == 0
    assert results.hits == []
    assert results.query_terms == []


def test_long_query_is_truncated_to_100_characters(docs):
    q = "低保" + "，" * 98 + "临时救助"
    results = query.search(q)
    assert results.query_terms == ["低保"]
    assert set(keys(results)) == {"item:1", "item:3", "item:5"}
    assert query.search("低保" * 200).query_terms == ["低保"]


# --- pagination -------------------------------------------------------------------------------


def test_pagination(county):
    for n in range(25):
        index.update(
            f"item:p{n}",
            agency=county.civil,
            title=f"第{n + 1}批城乡低保对象名单公示",
            body="经乡镇审核、县民政局审批，现将新增低保对象名单予以公示。",
            url=f"/p/{n}/",
            published_on=D(2025, 1, 1) + dt.timedelta(days=n),
        )
    first = query.search("低保", per_page=10)
    assert first.total == 25
    assert first.pages == 3
    assert len(first.hits) == 10
    assert first.has_next and not first.has_previous
    third = query.search("低保", per_page=10, page=3)
    assert len(third.hits) == 5
    assert third.total == 25
    assert not third.has_next
    every = [
        hit.key for page in (1, 2, 3) for hit in query.search("低保", per_page=10, page=page).hits
    ]
    assert len(every) == len(set(every)) == 25
    # Equal relevance: newest first.
    assert every[0] == "item:p24" and every[-1] == "item:p0"
    beyond = query.search("低保", per_page=10, page=9)
    assert beyond.total == 25 and beyond.hits == []
    assert query.search("低保", per_page=1000).per_page == 100
    assert query.search("低保", page=0).page == 1


# --- the index is used ------------------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_sqlite_plan_uses_the_fts_table(docs):
    plan = query.explain("低保", agency_ids=[docs.civil.pk], year=2025)
    assert "VIRTUAL TABLE" in plan
    assert "search_entry_fts" in plan
    assert "SCAN e" not in plan  # entries are looked up by id, not scanned


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plan")
def test_postgresql_plan_uses_the_gin_index(county):
    words = ["养老", "医疗", "教育", "住房", "就业", "交通", "环保", "农业", "水利", "文化"]
    texts = {}
    rows = []
    for n in range(2000):
        title = f"{words[n % 10]}工作第{n}号通报"
        body = (
            f"关于{words[n % 10]}和{words[(n * 7) % 10]}领域重点工作推进情况的通报。"
            + "各单位要进一步提高认识，压实责任，细化措施，确保各项任务按时保质完成。" * 8
        )
        if (title, body) not in texts:
            texts[(title, body)] = index.tokens_for(title, body)
        rows.append(
            Entry(
                key=f"gen:{n}",
                agency=county.civil,
                title=title,
                body=body,
                url=f"/gen/{n}/",
                published_on=D(2025, 1, 1),
                year=2025,
                tokens=texts[(title, body)],
            )
        )
    Entry.objects.bulk_create(rows, batch_size=500)
    index.update(
        "item:rare",
        agency=county.civil,
        title="城乡低保标准调整",
        body="低保",
        url="/r/",
        published_on=D(2025, 2, 1),
    )
    with connection.cursor() as cursor:
        # What autovacuum does: statistics, and the GIN pending list merged into the index.
        cursor.execute("ANALYZE search_entry")
        cursor.execute("SELECT gin_clean_pending_list('search_entry_vector_gin'::regclass)")
    plan = query.explain("低保")
    assert "search_entry_vector_gin" in plan, plan
    with connection.cursor() as cursor:  # the tsvector stays in the row, out of TOAST
        cursor.execute(
            "SELECT attstorage FROM pg_attribute "
            "WHERE attrelid = 'search_entry'::regclass AND attname = 'search_vector'"
        )
        assert cursor.fetchone()[0] == "m"
    assert keys(query.search("低保")) == ["item:rare"]
    assert query.search("养老").total == 200


def test_fts5_terms_are_quoted_as_strings():
    # Tokens are letters and digits only, so this is defence in depth: whatever reaches the
    # FTS5 expression is a quoted string.
    assert query._fts5_phrase('a"b') == '"a""b"'
    assert query._fts5_phrase("NEAR") == '"NEAR"'
