from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "gongkai.site"
    label = "gongkai_site"  # not "site": Django's own sites framework is "sites"
    verbose_name = "站点"
