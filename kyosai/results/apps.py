from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kyosai.results"
    label = "results"
    verbose_name = "目標・実績"
