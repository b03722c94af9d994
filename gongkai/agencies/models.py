"""Agencies (行政机关) as a tree, and the roles people hold in them."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongkai.agencies import codes
from gongkai.law import categories


class AgencyKind(models.TextChoices):
    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("政府部门")
    TOWNSHIP = "township", _("乡镇人民政府")
    STREET = "street", _("街道办事处")
    OTHER = "other", _("其他行政机关")


class AgencyQuerySet(models.QuerySet):
    def subtree(self, agency: Agency):
        """The agency and every agency below it."""
        return self.filter(path__startswith=agency.path)

    def public(self):
        return self.filter(is_active=True)


def _validate_code(value: str) -> None:
    problem = codes.validate(value)
    if problem:
        raise ValidationError(problem)


class Agency(models.Model):
    name = models.CharField(_("机关全称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    slug = models.SlugField(
        _("网址标识"),
        max_length=40,
        unique=True,
        help_text=_("用于公开栏目网址的英文或拼音标识，如 minzheng。"),
    )
    kind = models.CharField(_("机关类型"), max_length=20, choices=AgencyKind.choices)
    # Which part of 条例第二十一条 applies (law.categories.for_agency, docs/law/categories.md).
    level = models.CharField(
        _("层级"),
        max_length=10,
        choices=categories.LEVELS,
        default=categories.DEFAULT_LEVEL,
        help_text=_(
            "决定适用条例第二十一条的哪一部分。设区的市级含自治州；县级含自治县、不设区的市、"
            "市辖区；乡级含乡、民族乡、镇和街道。"
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised path "/1/4/17/" so that "this agency and everything below it" is one
    # indexed prefix query on either database; kept by save().
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    position = models.PositiveIntegerField(_("排序"), default=0)
    code = models.CharField(
        _("统一社会信用代码或组织机构代码"),
        max_length=20,
        validators=[_validate_code],
        help_text=_("用于生成索引号。18 位统一社会信用代码或 9 位组织机构代码。"),
    )
    office_name = models.CharField(
        _("政府信息公开工作机构"),
        max_length=100,
        help_text=_("如：县人民政府办公室政务公开科"),
    )
    address = models.CharField(_("办公地址"), max_length=200)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为 6 位数字。"))],
    )
    office_hours = models.CharField(
        _("办公时间"),
        max_length=200,
        default="工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
    )
    phone = models.CharField(_("联系电话"), max_length=50)
    fax = models.CharField(_("传真号码"), max_length=50, blank=True)
    # What the agency is responsible for, in a few lines: the public finder of the application
    # form searches it ("which agency holds this?"), and the 指南 states it.
    duties = models.TextField(
        _("主要职责"),
        blank=True,
        help_text=_("几句话写明本机关负责的事务，如“城乡低保、临时救助、养老服务、婚姻登记”。"),
    )
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("互联网联系方式（网站）"), blank=True)
    reconsideration_body = models.CharField(
        _("行政复议机关"),
        max_length=100,
        help_text=_("答复告知书救济条款中写明的复议机关，如：某某县人民政府"),
    )
    court = models.CharField(
        _("管辖法院"),
        max_length=100,
        blank=True,
        help_text=_("可不填；填写后救济条款写明受理行政诉讼的人民法院"),
    )
    # 国办函〔2020〕109号第七条: the fee notice states how to pay (缴纳方式); the agency's own
    # arrangement (非税收入 payment code, bank, counter), not a rule the platform can know.
    fee_payment = models.TextField(
        _("信息处理费缴纳方式"),
        blank=True,
        max_length=500,
        help_text=_(
            "收费通知书写明的缴纳方式，如：凭收费通知书上的非税收入缴款码，通过银行柜台或网上银行"
            "缴纳；或到本机关办公地点现场缴纳。不填则通知书只能请申请人联系本机关。"
        ),
    )
    is_active = models.BooleanField(_("启用"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政机关")
        verbose_name_plural = _("行政机关")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # The path decides who may read what, so it is always rebuilt from the database, never
        # from a possibly stale parent object, and the whole move is one transaction.
        with transaction.atomic():
            super().save(*args, **kwargs)
            parent_path = "/"
            if self.parent_id:
                parent_path = Agency.objects.select_for_update().get(pk=self.parent_id).path
                if f"/{self.pk}/" in parent_path:
                    raise ValidationError({"parent": _("上级机关不能是本机关或其下级机关。")})
            old_path = Agency.objects.filter(pk=self.pk).values_list("path", flat=True).get()
            new_path = f"{parent_path}{self.pk}/"
            if new_path != old_path:
                Agency.objects.filter(pk=self.pk).update(path=new_path)
                if old_path:
                    # Moving an agency moves its whole subtree.
                    below = Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
                    for child in below.select_for_update():
                        child_path = new_path + child.path[len(old_path) :]
                        Agency.objects.filter(pk=child.pk).update(path=child_path)
            self.path = new_path

    def get_absolute_url(self) -> str:
        return reverse("portal:agency", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    @property
    def proactive_categories(self) -> tuple[categories.Category, ...]:
        """What this agency publishes under (条例第二十条、第二十一条)."""
        return categories.for_agency(self.kind, self.level)

    @property
    def organisation_code(self) -> str:
        return codes.organisation_code(self.code)

    def ancestor_ids(self) -> list[int]:
        """Ids on the path from the root down to (and including) this agency."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def clean(self):
        super().clean()
        self.code = codes.normalise(self.code)
        self.level = categories.level_for(self.kind, self.level)
        if self.parent_id and self.pk:
            parent = Agency.objects.get(pk=self.parent_id)
            if self.pk in parent.ancestor_ids():
                raise ValidationError({"parent": _("上级机关不能是本机关或其下级机关。")})


class Role(models.TextChoices):
    """What a person may do in one agency. A person may hold several roles there."""

    CLERK = "clerk", _("信息公开工作人员")
    REVIEWER_1 = "reviewer1", _("初审人")
    REVIEWER_2 = "reviewer2", _("复审人")
    REVIEWER_3 = "reviewer3", _("终审人")
    SECRECY_REVIEWER = "secrecy", _("保密审查人")
    HEAD = "head", _("公开办负责人")
    AGENCY_ADMIN = "admin", _("机关管理员")
    SUPERVISOR = "supervisor", _("监督人员")


# Roles that act on the agency's records; a supervisor only reads, but across the subtree.
ACTING_ROLES = frozenset(Role) - {Role.SUPERVISOR}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("用户"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("机关"),
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="one_role_once"),
            models.CheckConstraint(
                condition=Q(role__in=[r.value for r in Role]),
                name="membership_role_known",
            ),
        ]
        ordering = ["agency__path", "user__username", "role"]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency}: {self.get_role_display()}"
