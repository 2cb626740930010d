from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kyosai.events"
    label = "events"
    verbose_name = "本部の会議・行事"

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.events.demo import load_demo

        load_demo()
