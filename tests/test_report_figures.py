"""The key figures of a report are read one way (gongkai.reports.figures) by the office's
pages, the public column and the checker's summaries."""

from gongkai.checker import summary_rows
from gongkai.checker.check import Result
from gongkai.portal import annual_reports
from gongkai.reports import figures, office_views


def report(received=(1, 0, 0, 0, 0, 0, 1), direct=2, after=3):
    return {
        "agency": "某局",
        "year": 2025,
        "applications": {"rows": {"received_new": list(received)}},
        "appeals": {
            "reconsideration": {"total": 4},
            "litigation_direct": {"total": direct},
            "litigation_after_reconsideration": {"total": after},
        },
    }


def test_a_figure_is_a_whole_number_or_unknown():
    assert figures.key_figures(report())["received_new"] == 1
    for odd in (None, "", "无", 1.5, True):
        assert figures.key_figures(report(received=(0,) * 6 + (odd,)))["received_new"] is None
    assert figures.key_figures({})["received_new"] is None
    assert figures.key_figures({"applications": "表三"})["carried_over"] is None


def test_litigation_is_both_kinds_or_unknown():
    assert figures.key_figures(report())["litigation"] == 5
    assert figures.key_figures(report(after=None))["litigation"] is None


def test_the_three_pages_show_the_same_figures():
    data = report()
    office = {row["label"]: row["now"] for row in office_views.comparison(data, None)}
    public = dict(annual_reports.key_figures(data))
    summary = summary_rows.rows([Result("a.pdf", data, [])])[0]
    assert office["本年新收申请"] == public["本年新收申请"] == 1
    assert summary[summary_rows.RECEIVED_NEW] == 1
    assert office["行政诉讼"] == public["行政诉讼总数"] == summary[summary_rows.LITIGATION] == 5
