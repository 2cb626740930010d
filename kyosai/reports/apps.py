from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "kyosai.reports"
    label = "reports"
    verbose_name = "半期報告"

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.reports.demo import load_demo

        load_demo()
