"""PDFs only where Chinese can be shown: without a CJK font the start-up checks say what to
install, and no PDF of empty boxes is ever produced."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.urls import reverse

from gongkai.core import fonts
from tests.conftest import subprocess_env


def test_this_machine_has_a_chinese_font():
    assert fonts.problem() == ""


def test_without_any_font_the_checks_name_what_to_install(tmp_path):
    # fontconfig reads FONTCONFIG_FILE: one that knows no font folder at all.
    empty = tmp_path / "fonts.conf"
    empty.write_text(
        f'<?xml version="1.0"?><fontconfig><cachedir>{tmp_path}/cache</cachedir></fontconfig>',
        encoding="utf-8",
    )
    env = {**subprocess_env(tmp_path / "data"), "FONTCONFIG_FILE": str(empty)}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "gongkai.E020" in done.stderr and "fonts-noto-cjk" in done.stderr


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(fonts, "problem", lambda: "系统中没有任何字体。")


def test_a_letter_pdf_is_refused_not_sent_as_boxes(county, no_font):
    from tests.test_letters import new_case

    application, _ = new_case(county)
    url = reverse("office:letter_download", args=[application.pk, "receipt", "pdf"])
    response = county.client_for(county.clerk).get(url)
    assert response.status_code == 503
    text = response.content.decode()
    assert "无法生成 PDF" in text and "fonts-noto-cjk" in text
    docx = county.client_for(county.clerk).get(
        reverse("office:letter_download", args=[application.pk, "receipt", "docx"])
    )
    assert docx.status_code == 200  # Word files carry no fonts of ours: still fine


def test_report_build_refuses_the_pdf_and_writes_nothing(tmp_path, no_font, capsys):
    from gongkai.ledger import report_cli as cli
    from gongkai.ledger import workbook

    ledger = tmp_path / "台账.xlsx"
    workbook.write_template(ledger)
    status = cli.report_main(
        ["build", "--ledger", str(ledger), "--year", "2025", "--pdf", str(tmp_path / "r.pdf"),
         "--docx", str(tmp_path / "r.docx")]
    )  # fmt: skip
    assert status == 2
    assert "无法生成 PDF" in capsys.readouterr().err
    assert not (tmp_path / "r.pdf").exists() and not (tmp_path / "r.docx").exists()
