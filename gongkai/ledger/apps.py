from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "gongkai.ledger"
