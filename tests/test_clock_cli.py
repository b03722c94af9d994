"""``gongkai deadline`` and ``gongkai calendar``: the contract other tools rely on."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gongkai.cli import main
from tests.conftest import subprocess_env
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
        "provisional": False,
        "correction_notice_due_provisional": False,
        "reply_due_provisional": False,
        "extended_due_provisional": False,
        "provisional_years": [],
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
        "provisional": False,
    }


def test_a_year_without_its_notice_is_provisional_and_says_so(capsys):
    # The case: on a fresh install, with no 2027 notice.
    status, out, _ = run(capsys, "deadline", "--received", "2026-12-10", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["reply_due"] == "2027-01-08"
    assert data["provisional"] is True and data["provisional_years"] == [2027]
    status, out, _ = run(capsys, "deadline", "--received", "2026-12-10")
    assert "暂定：2027年的节假日安排尚未公布" in out
    status, out, _ = run(capsys, "deadline", "--received", "2026-12-10", "--explain", "--json")
    reply = json.loads(out)["explanation"]["reply"]
    assert {"date": "2027-01-01", "provisional": True}.items() <= next(
        s for s in reply if s["date"] == "2027-01-01"
    ).items()


def test_beyond_what_can_be_derived_exits_2_naming_the_year(capsys):
    status, out, err = run(capsys, "deadline", "--received", "2099-12-20", "--json")
    assert status == 2 and out == ""
    assert "2100" in err and "gongkai calendar add" in err


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


def gongkai(data_dir, *argv) -> subprocess.CompletedProcess:
    """``gongkai`` as a user runs it: its own process, a data folder of its own, SQLite."""
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *argv],
        env=subprocess_env(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_calendar_file_on_the_command_line_and_added_for_good(capsys, tmp_path, data_dir):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(TEST_2027, ensure_ascii=False), encoding="utf-8")
    status, out, _ = run(
        capsys, "deadline", "--received", "2026-12-20", "--calendar", str(path), "--json"
    )
    assert status == 0 and json.loads(out)["reply_due"] == "2027-01-15"
    assert json.loads(out)["provisional"] is False

    # The made-up year has only 元旦: refused unless that is confirmed.
    refused = gongkai(data_dir, "calendar", "add", str(path))
    assert refused.returncode == 2 and "没有保存" in refused.stderr and "春节" in refused.stderr
    assert not (data_dir / "calendars" / "2027.json").exists()
    done = gongkai(data_dir, "calendar", "add", str(path), "--accept-missing")
    assert done.returncode == 0, done.stderr
    assert "已添加 2027 年的节假日安排" in done.stdout
    assert json.loads((data_dir / "calendars" / "2027.json").read_text("utf-8"))["year"] == 2027
    status, out, _ = run(capsys, "deadline", "--received", "2026-12-20", "--json")
    assert status == 0 and json.loads(out)["reply_due"] == "2027-01-15"
    assert json.loads(out)["provisional"] is False
    status, out, _ = run(capsys, "calendar", "list")
    assert "2027  测试数据（非真实通知）" in out and "2026  chinesecalendar" in out
    assert "暂定" not in out  # 2026 and 2027 both have their arrangements now
    again = gongkai(data_dir, "calendar", "add", str(path), "--accept-missing")
    assert again.returncode == 0 and "完全相同，没有修改" in again.stdout


NOTICE_2026 = Path(__file__).parent / "notices" / "2026.txt"


def test_parse_a_notice_then_add_it(capsys, tmp_path, data_dir):
    status, out, _ = run(capsys, "calendar", "parse", str(NOTICE_2026))
    assert status == 0
    assert "春节：放假 2月15日、2月16日" in out and "上班 2月14日、2月28日" in out
    assert "2026年2月（工作日" in out and "全年工作日 248 天" in out
    assert f"gongkai calendar add {NOTICE_2026}" in out
    status, out, _ = run(capsys, "calendar", "parse", str(NOTICE_2026), "--json")
    data = json.loads(out)
    assert data["year"] == 2026 and "2026-01-04" in data["make_up_workdays"]
    assert data["source"] == "国务院办公厅关于2026年部分节假日安排的通知"
    # The JSON it prints is what calendar add reads; the notice text is read by add too.
    path = tmp_path / "2026.json"
    path.write_text(out, encoding="utf-8")
    assert gongkai(data_dir, "calendar", "add", str(path)).returncode == 0
    done = gongkai(data_dir, "calendar", "add", str(NOTICE_2026))
    assert done.returncode == 0 and "完全相同，没有修改" in done.stdout, done.stderr


def test_parse_refuses_a_notice_it_cannot_read(capsys, tmp_path):
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_2026.read_text("utf-8").replace("共9天", "共8天"), "utf-8")
    status, out, err = run(capsys, "calendar", "parse", str(path))
    assert status == 2 and out == ""
    assert "通知写的是共8天" in err
    path.write_bytes("国务院办公厅关于2027年部分节假日安排的通知".encode("gb18030"))
    status, _, err = run(capsys, "calendar", "parse", str(path))
    assert status == 2 and "没有找到放假安排" in err
    path.write_bytes(b"\xff\xfe\x00\x81")
    status, _, err = run(capsys, "calendar", "parse", str(path))
    assert status == 2 and "不是 UTF-8 或 GB18030" in err


def test_a_bad_calendar_file_is_refused_and_nothing_is_written(tmp_path, data_dir):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps({**TEST_2027, "make_up_workdays": ["2027-01-04"]}), "utf-8")
    done = gongkai(data_dir, "calendar", "add", str(path))
    assert done.returncode == 2 and "应为周六或周日" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (data_dir / "calendars" / "2027.json").exists()


def test_deadline_needs_no_database_and_writes_nothing(capsys, data_dir):
    run(capsys, "deadline", "--received", "2026-03-02")
    assert not data_dir.exists()


def test_each_date_says_whether_it_is_provisional(capsys):
    status, out, _ = run(capsys, "deadline", "--received", "2026-11-26", "--extended", "--json")
    assert status == 0
    data = json.loads(out)
    assert data["reply_due"] == "2026-12-24" and data["reply_due_provisional"] is False
    assert data["extended_due_provisional"] is True and data["provisional_years"] == [2027]
    status, out, _ = run(capsys, "deadline", "--received", "2026-11-26", "--extended")
    assert status == 0 and "答复期限：2026-12-24（第 20 个工作日）" in out
    assert "延期后答复期限：2027-" in out and "（暂定）（再延 20 个工作日）" in out


def test_calendar_list_names_the_years_really_provisional(capsys, data_dir):
    folder = data_dir / "calendars"
    folder.mkdir(parents=True)
    later = {**TEST_2027, "year": 2028, "rest_days": ["2028-01-01"], "make_up_workdays": []}
    (folder / "2028.json").write_text(json.dumps(later), encoding="utf-8")
    status, out, _ = run(capsys, "calendar", "list")
    assert status == 0 and "2027  暂定" in out and "2029  暂定" not in out


def test_calendar_add_help_names_the_command(data_dir):
    done = gongkai(data_dir, "calendar", "add", "--help")
    assert done.returncode == 0 and "gongkai calendar add" in done.stdout
    assert "--accept-missing" in done.stdout
