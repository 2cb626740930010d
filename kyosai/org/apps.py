from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "kyosai.org"
    label = "org"
    verbose_name = "組織"
