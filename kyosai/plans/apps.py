from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "kyosai.plans"
    label = "plans"
    verbose_name = "PDCA計画"

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.plans.demo import load_demo

        load_demo()
