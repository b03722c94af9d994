"""``gongkai deadline`` and ``gongkai calendar``: the contract other tools rely on."""

import json

import pytest

from gongkai.cli import main
from tests.test_clock import TEST_2027


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("GONGKAI_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_json_output(capsys):
    status, out, _ = run(capsys, "deadline", "--received", "2026-09-15", "--extended", "--json")
    assert status == 0
    assert json.loads(out) == {
        "received": "2026-09-15",
        "correction_notice_due": "2026-09-23",
        "reply_due": "2026-10-19",
        "extended_due": "2026-11-16",
    }


def test_correction_and_pauses(capsys):
    status, out, _ = run(
        capsys,
        "deadline",
        "--received",
        "2026-03-02",
        "--correction-received",
        "2026-03-04",
        "--pause",
        "2026-03-05:2026-03-10",
        "--pause",
        "2026-03-16:2026-03-16",
        "--json",
    )
    data = json.loads(out)
    assert status == 0
    assert data["correction_notice_due"] == "2026-03-11"
    # From 03-04: 05, 06, 09, 10 and 16 paused, 04-04..06 清明: the 20th counted day is 04-09.
    assert data["reply_due"] == "2026-04-09"
    assert "extended_due" not in data


def test_explain_lists_every_day(capsys):
    status, out, _ = run(capsys, "deadline", "--received", "2026-02-10", "--explain")
    assert status == 0
    assert "答复期限：2026-03-16" in out
    assert "2026-02-14 周六  调休上班，计入第 4 个工作日" in out
    assert "2026-02-16 周一  节假日（春节），不计入" in out
    status, out, _ = run(capsys, "deadline", "--received", "2026-02-10", "--explain", "--json")
    reply = json.loads(out)["explanation"]["reply"]
    assert reply[3] == {
        "date": "2026-02-14",
        "kind": "make_up_workday",
        "paused": False,
        "counted": 4,
        "note": "调休上班，计入第 4 个工作日",
    }


def test_missing_year_exits_2_naming_the_year(capsys):
    status, out, err = run(capsys, "deadline", "--received", "2026-12-20", "--json")
    assert status == 2 and out == ""
    assert "2027" in err and "gongkai calendar add" in err


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--received", "2026-13-01"], "不是 YYYY-MM-DD"),
        (["--received", "2026-03-02", "--pause", "2026-03-05"], "开始日:结束日"),
        (["--received", "2026-03-02", "--pause", "2026-03-10:2026-03-05"], "早于开始日"),
        (["--received", "2026-03-02", "--correction-received", "2026-03-01"], "早于"),
        ([], "--received"),
    ],
)
def test_bad_arguments_exit_2_with_a_chinese_message(capsys, args, fragment):
    with pytest.raises(SystemExit) as caught:
        status = main(["deadline", *args])
        raise SystemExit(status)
    assert caught.value.code == 2
    assert fragment in capsys.readouterr().err


def test_calendar_file_on_the_command_line_and_added_for_good(capsys, tmp_path, data_dir):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(TEST_2027, ensure_ascii=False), encoding="utf-8")
    status, out, _ = run(
        capsys, "deadline", "--received", "2026-12-20", "--calendar", str(path), "--json"
    )
    assert status == 0 and json.loads(out)["reply_due"] == "2027-01-15"

    status, out, _ = run(capsys, "calendar", "add", str(path))
    assert status == 0 and "2027" in out
    assert json.loads((data_dir / "calendars" / "2027.json").read_text("utf-8"))["year"] == 2027
    status, out, _ = run(capsys, "deadline", "--received", "2026-12-20", "--json")
    assert status == 0 and json.loads(out)["reply_due"] == "2027-01-15"
    status, out, _ = run(capsys, "calendar", "list")
    assert "2027  测试数据（非真实通知）" in out and "2026  chinesecalendar" in out


def test_a_bad_calendar_file_is_refused_and_nothing_is_written(capsys, tmp_path, data_dir):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({**TEST_2027, "make_up_workdays": ["2027-01-04"]}), "utf-8")
    status, _, err = run(capsys, "calendar", "add", str(path))
    assert status == 2 and "应为周六或周日" in err
    assert not (data_dir / "calendars" / "2027.json").exists()


def test_deadline_needs_no_database_and_writes_nothing(capsys, data_dir):
    run(capsys, "deadline", "--received", "2026-03-02")
    assert not data_dir.exists()
