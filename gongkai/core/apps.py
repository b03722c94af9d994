from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "gongkai.core"
    verbose_name = "平台"

    def ready(self):
        from gongkai.core import checks  # noqa: F401  (registers the start-up checks)
