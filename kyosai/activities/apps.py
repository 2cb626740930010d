from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "kyosai.activities"
    label = "activities"
    verbose_name = "活動・キャンペーン"

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.activities.demo import load_demo

        load_demo()
