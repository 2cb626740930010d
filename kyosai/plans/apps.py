from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "kyosai.plans"
    label = "plans"
    verbose_name = "PDCA計画"
