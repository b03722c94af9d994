from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "gongkai.letters"
