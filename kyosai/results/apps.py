from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "kyosai.results"
    label = "results"
    verbose_name = "目標・実績"

    def load_demo(self) -> None:
        """`kyosai demo-data`: the demo targets' revisions and HQ's own targets (after the demo results)."""
        from kyosai.results.demo_targets import load_demo

        load_demo()
