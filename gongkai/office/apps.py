from django.apps import AppConfig


class OfficeConfig(AppConfig):
    name = "gongkai.office"
    verbose_name = "后台"
