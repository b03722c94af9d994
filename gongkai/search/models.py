"""One row per searchable public document.

The full-text index itself is not a Django field, so that the model migrates unchanged on both
databases; migration 0002 adds it per database (see :mod:`gongkai.search.ddl`):

* SQLite: the FTS5 table ``search_entry_fts`` (external content: it stores only the index and
  reads ``tokens`` from ``search_entry``), kept in sync by three triggers on ``search_entry``.
* PostgreSQL: the generated column ``search_entry.search_vector`` (``to_tsvector('simple',
  tokens)``) with the GIN index ``search_entry_vector_gin``.

A later migration that alters this table on SQLite makes Django rebuild it (new table, copy,
drop, rename), which drops the triggers: such a migration must end with
``RunPython(gongkai.search.ddl.install, ...)``; ``gongkai manage search_rebuild`` repairs a
database where that was forgotten.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Validity(models.TextChoices):
    IN_FORCE = "in_force", _("有效")
    REPEALED = "repealed", _("已废止")
    AMENDED = "amended", _("已修改")


class Entry(models.Model):
    key = models.CharField(
        _("索引键"),
        max_length=200,
        unique=True,
        help_text=_("被索引对象的类型和编号，如 item:123。"),
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("发布机关"),
        on_delete=models.CASCADE,
        related_name="search_entries",
    )
    category = models.CharField(_("公开类别"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    validity = models.CharField(_("效力"), max_length=20, blank=True, choices=Validity.choices)
    kind = models.CharField(_("文种"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=500)
    url = models.CharField(_("网址"), max_length=500)
    published_on = models.DateField(_("发布日期"))
    body = models.TextField(_("正文（纯文本）"), blank=True)
    # jieba cut_for_search of title + body, lower-cased, one space between tokens.
    tokens = models.TextField(_("分词"), blank=True, editable=False)

    class Meta:
        verbose_name = _("检索条目")
        verbose_name_plural = _("检索条目")
        indexes = [models.Index(fields=["published_on"], name="search_entry_published")]

    def __str__(self) -> str:
        return self.title
