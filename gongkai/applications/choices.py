"""The choices of a case file (who applies, how, what is asked, its status), apart from the
models so that a reader of ``models`` sees the case's fields first."""

from __future__ import annotations

from django.db import models

from gongkai.law import applicants

# The applicant columns of table 三, in table order (gongkai.law.applicants): the stored key,
# and what the case file calls the applicant ("其他组织" where the table prints "其他").
ApplicantType = models.TextChoices(
    "ApplicantType", [(a.key.upper(), (a.key, a.own_name)) for a in applicants.APPLICANTS]
)


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    OTHER = "other", "其他有效身份证件"


class Channel(models.TextChoices):
    """How the application arrived; decides the day of receipt in law (第三十一条)."""

    IN_PERSON = "in_person", "当面提交"
    POST_SIGNED = "post_signed", "邮寄（需签收）"
    POST_ORDINARY = "post_ordinary", "平常信函"
    ONLINE = "online", "互联网（网上申请、电子邮件）"
    FAX = "fax", "传真"
    # 第二十九条第一款: an applicant who has difficulty writing may apply orally; the office fills
    # in the form for them and the applicant confirms it. Received that day, like 当面提交.
    ORAL = "oral", "口头提出（代为填写）"

    @property
    def needs_confirmation(self) -> bool:
        """第三十一条: for ordinary letters, online and fax the day of receipt is the day the
        office confirms it with the applicant, not the day it arrived."""
        return self in (Channel.POST_ORDINARY, Channel.ONLINE, Channel.FAX)


class CaseKind(models.TextChoices):
    """What the applicant asks for: information (第二十七条), or the correction of a record about
    themselves (第四十一条), a case of its own that table 三 does not count."""

    DISCLOSURE = "disclosure", "政府信息公开申请"
    RECORD_CORRECTION = "record_correction", "政府信息更正申请"


class ReasonsJudgement(models.TextChoices):
    """第三十五条: how the office judged the reasons an applicant gave for many or frequent
    requests."""

    UNREASONABLE = "unreasonable", "理由不合理"
    REASONABLE = "reasonable", "理由合理"


class Delivery(models.TextChoices):
    """获取信息的方式、途径 (第二十九条第（三）项)."""

    PAPER = "paper", "纸质文本（邮寄）"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    DISC = "disc", "光盘等电子介质（邮寄）"
    FAX = "fax", "传真"


class Disclosure(models.TextChoices):
    """How information that can be disclosed is given (条例第三十六条第（一）项、第（二）项)."""

    PUBLISHED = "published", "已经主动公开：告知获取的方式和途径（条例第三十六条第（一）项）"
    PROVIDED = "provided", "向申请人提供：告知提供的方式、途径和时间（条例第三十六条第（二）项）"


class Provision(models.TextChoices):
    """The form in which the information is provided (条例第四十条): the one the applicant asked
    for, or another suitable one where that cannot be done or would harm the carrier."""

    PAPER = "paper", "纸质件"
    EMAIL = "email", "电子邮件"
    MEDIA = "media", "电子数据（光盘/U盘）"
    ONLINE = "online", "网上获取"
    INSPECTION = "inspection", "当面查阅"
    COPYING = "copying", "抄录"


# The forms that give the applicant what each requested 获取方式 asks for; any other form
# differs from the request and needs its reason (条例第四十条).
PROVISION_MATCHES = {
    Delivery.PAPER: (Provision.PAPER,),
    Delivery.EMAIL: (Provision.EMAIL,),
    Delivery.PICKUP: (Provision.PAPER, Provision.MEDIA),
    Delivery.DISC: (Provision.MEDIA,),
    Delivery.FAX: (),
}


class Status(models.TextChoices):
    PENDING = "pending", "待确认收到"
    IN_PROGRESS = "in_progress", "办理中"
    AWAITING_CORRECTION = "awaiting_correction", "待申请人补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_PAYMENT = "awaiting_payment", "待缴纳信息处理费"
    DECIDED = "decided", "已作出决定，待答复"
    REPLIED = "replied", "已答复"
    ARCHIVED = "archived", "已归档"

    @property
    def is_open(self) -> bool:
        return self not in (Status.REPLIED, Status.ARCHIVED)

    @property
    def waits_for_applicant(self) -> bool:
        return self in (Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT)

    @property
    def meaning(self) -> str:
        """What the status means for the applicant and what happens next (the case page)."""
        return STATUS_MEANINGS[self]


STATUS_MEANINGS = {
    Status.PENDING: (
        "网上、平常信函或传真提交的申请，以本机关与您确认之日为收到申请之日（条例第三十一条）。"
        "工作人员将与您联系确认，答复期限自确认之日起计算。"
    ),
    Status.IN_PROGRESS: "本机关正在办理您的申请，将在答复期限内答复。",
    Status.AWAITING_CORRECTION: (
        "您的申请需要补正。请在补正期限前补正，可以在本页在线提交；答复期限自本机关"
        "收到补正之日起重新计算，无正当理由逾期不补正的，视为放弃申请（条例第三十条）。"
    ),
    Status.CONSULTING: (
        "本机关正在书面征求第三方或其他机关的意见，征求意见所需时间不计算在答复期限内"
        "（条例第三十二条、第三十四条、第三十三条第三款）。"
    ),
    Status.AWAITING_PAYMENT: (
        "您的申请需要缴纳信息处理费。请按收费通知书写明的方式和期限缴纳，缴费期间不计算在"
        "答复期限内；逾期未缴纳的，视为放弃申请（国办函〔2020〕109号）。"
    ),
    Status.DECIDED: "本机关已作出决定，正在制作并送达答复。",
    Status.REPLIED: (
        "本机关已答复您的申请。答复告知书可在本页下载；不服答复的，可以按本页所列途径和期限"
        "申请行政复议或提起行政诉讼。"
    ),
    Status.ARCHIVED: "本机关已答复您的申请，案卷已归档。答复告知书仍可在本页下载。",
}


OPEN_STATUSES = [s for s in Status if s.is_open]


class FeeMethod(models.TextChoices):
    PER_ITEM = "per_item", "按件计收"
    PER_PAGE = "per_page", "按量计收"
