from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "kyosai.activities"
    label = "activities"
    verbose_name = "活動・キャンペーン"
