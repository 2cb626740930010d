from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kyosai.reports"
    label = "reports"
    verbose_name = "半期報告"
