from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kyosai.web"
    label = "web"
    verbose_name = "画面"
