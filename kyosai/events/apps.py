from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "kyosai.events"
    label = "events"
    verbose_name = "本部の会議・行事"
