from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "gongkai.portal"
    verbose_name = "公开栏目"

    def ready(self):
        from gongkai.portal import cache

        cache.connect()
