"""The demo agency's annual reports: past years' cases, released information and the reports."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.contrib.auth import get_user_model

from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency
from gongkai.applications import services as cases
from gongkai.applications.models import Channel
from gongkai.law import outcomes
from gongkai.reports import services as reports
from gongkai.reports.models import AnnualReport
from gongkai.site.demo.cases import _person, _provided, pass_release
from gongkai.site.demo.county import (
    COUNTY,
    REGION,
)

# --- the annual reports -------------------------------------------------------------------

# Applications of the two years before the current one (the key: -1 is last year), answered:
# (n, name, what is asked, applicant type, (month, day) received, outcome, days to the reply).
# A case received in late December is answered in January: it is carried over.
NP, CO = "natural_person", "commercial"
PAST_CASES = {
    -2: [
        (21, "马玉兰", "上一年度城乡低保资金发放情况", NP, (3, 11), "granted", 12),
        (22, "黄俊", "本村五保供养对象名单", NP, (5, 20), "withheld_third_party", 15),
        (23, "云溪恒达养老服务有限公司", "养老机构运营补贴申报条件", CO, (8, 5), "granted", 10),
        (24, "邓小红", "殡葬改革实施方案", NP, (12, 23), "granted", 13),
    ],
    -1: [
        (31, "钟志明", "临时救助审批流程和标准", NP, (2, 17), "granted", 11),
        (32, "何婷", "社区养老服务站建设资金使用情况", NP, (3, 10), "partially_granted", 14),
        (33, "云溪安康护理院", "养老机构等级评定结果", CO, (4, 14), "granted", 9),
        (34, "韦国庆", "1998年本村救灾物资发放记录", NP, (5, 19), "unable_not_exist", 12),
        (35, "覃丽萍", "婚姻登记处办公时间和预约方式", NP, (6, 23), "granted", 5),
        (36, "黄俊", "邻居家庭享受低保的审批材料", NP, (8, 11), "withheld_third_party", 13),
        # The same applicant as the year before (第三十六条第（六）项: 重复申请).
        (24, "邓小红", "殡葬改革实施方案", NP, (9, 15), "declined_repeated", 8),
        (38, "梁秀珍", "高龄津贴发放标准", NP, (10, 20), "granted", 10),
        (39, "蒙海", "残疾人两项补贴发放名单", NP, (12, 22), "granted", 12),
    ],
}


# What a partial disclosure withholds, and why (条例第三十七条).
WITHHELD = {
    "partially_granted": {
        "withheld": [("名单中个人的身份证号码和家庭住址。", "withheld_third_party")],
    }
}
REASONS = {
    "granted": "您申请的信息属于主动公开范围，现随本告知书提供。",
    "partially_granted": "您申请的信息中涉及第三方个人信息的部分不予公开，其余部分予以公开。",
    "withheld_third_party": "您申请的信息涉及第三方个人隐私，公开会损害第三方合法权益。",
    "unable_not_exist": "经检索本机关档案和网站，未发现您申请的信息。",
    "declined_repeated": "您的申请与此前已答复的申请内容相同，属于重复申请。",
}
REPORT_TEXT = {
    "（一）主动公开。": "本年度围绕社会救助、养老服务、婚姻登记和殡葬管理等重点领域主动公开政策文件"
    "和工作动态，对城乡低保标准调整等政策同步发布解读。",
    "（三）政府信息管理。": "严格执行发布前保密审查和三级审核，定期清理已失效的规范性文件。",
    "（四）平台建设。": "依托县政府门户网站政府信息公开专栏发布信息，与政务新媒体同步更新。",
    "（五）监督保障。": "局领导班子专题研究政府信息公开工作，全年组织业务培训2次。",
}
SECTION5 = (
    "（一）存在的问题：部分依申请公开答复的说理还不够充分，"
    "乡镇（街道）民政工作人员对《条例》的理解有待加深。\n"
    "（二）改进情况：制定答复文书范本，逐件复核不予公开的理由；"
    "下一年度对乡镇（街道）民政工作人员开展专题培训。"
)


def _fill(draft: str, texts: dict[str, str]) -> str:
    """A generated draft with its 【…】 placeholders replaced by the demo's text (or dropped)."""

    lines = []
    for line in draft.splitlines():
        filled = re.sub(r"【[^】]*】", "", line).strip()
        for start, text in texts.items():
            if filled.startswith(start):
                filled += text
        if filled:
            lines.append(filled)
    return "\n".join(lines)


def _answered_before(earlier, outcome: str) -> str:
    """重复申请 names the earlier request answered (条例第三十六条第（六）项)."""
    if outcome != "declined_repeated" or earlier is None:
        return ""
    earlier.refresh_from_db()
    day = earlier.replied_on
    return (
        f"您此前提出的申请（编号 {earlier.tracking_number}）本机关已于"
        f"{day.year}年{day.month}月{day.day}日答复。"
    )


def _load_reports(agency: Agency) -> int:
    """Two published annual reports of 云溪县民政局, for the two years before the current one
    (so the newer compares with the older), from cases of those years registered and
    answered through the services, the register of a reconsideration and a lawsuit, and the
    figures from other systems. Returns the number of reports created."""

    if AnnualReport.objects.filter(agency=agency).exists():
        return 0
    User = get_user_model()
    clerk = User.objects.get(username="mzj-clerk")
    head = User.objects.get(username="mzj-head")
    today = cases.today()
    year = today.year - 1
    answered = {}
    for offset, rows in PAST_CASES.items():
        for n, name, description, kind, (month, day), outcome, days in rows:
            received = dt.date(year + offset + 1, month, day)
            data = _person(n, name, description, applicant_type=kind)
            if kind != "natural_person":
                data.update(
                    organisation_code=make_uscc("91", REGION, f"MB1K{n:04d}"),
                    id_type="",
                    id_number="",
                )
            application, _ = cases.register(
                clerk, agency, data, channel=Channel.IN_PERSON, submitted_on=received
            )
            replied = received + dt.timedelta(days=days)
            if replied > today:
                continue  # still open: carried forward into this year
            cases.decide(
                clerk,
                application,
                outcome,
                legal_basis="",
                decision_text=REASONS[outcome] + _answered_before(answered.get(n), outcome),
                decided_on=replied - dt.timedelta(days=1),
                **WITHHELD.get(outcome, {}),
                **(
                    _provided(replied - dt.timedelta(days=1))
                    if cases.discloses(outcomes.BY_KEY[outcome])
                    else {}
                ),
            )
            if cases.discloses(outcomes.BY_KEY[outcome]):
                pass_release(application, replied - dt.timedelta(days=1))
            cases.reply(clerk, application, replied, "email")
            cases.archive(clerk, application)
            answered[n] = application
    reports.save_appeal(
        clerk,
        agency,
        number=f"云政复〔{year}〕17号",
        kind="reconsideration",
        body=COUNTY,
        filed_on=dt.date(year, 9, 22),
        result="upheld",
        closed_on=dt.date(year, 11, 18),
        note="申请人对不予公开他人低保审批材料的答复不服；复议决定维持。",
        application=answered.get(36),
    )
    reports.save_appeal(
        clerk,
        agency,
        number=f"（{year}）云溪行初45号",
        kind="litigation_direct",
        body="云溪县人民法院",
        filed_on=dt.date(year, 11, 24),
        note="申请人对“本机关不掌握相关政府信息”的答复不服，直接提起诉讼；尚未审结。",
        application=answered.get(34),
    )
    figures = {
        year - 1: {"licensing_decisions": 112, "penalty_decisions": 2, "coercion_decisions": 0},
        year: {"licensing_decisions": 126, "penalty_decisions": 3, "coercion_decisions": 0},
    }
    for report_year, values in figures.items():
        reports.save_figures(
            clerk, agency, report_year, {**values, "fees_amount_10k_yuan": Decimal("0")}
        )
    for report_year in (year - 1, year):
        report = reports.open_report(clerk, agency, report_year)
        report = reports.save_sections(
            clerk,
            report,
            {
                "section1": _fill(report.section1, REPORT_TEXT),
                "section5": SECTION5,
                "section6": _fill(report.section6, {}),
            },
        )
        reports.publish(head, report, on=min(dt.date(report_year + 1, 1, 20), today))
    return 2
