from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "gongkai.history"
    verbose_name = "操作记录"
