from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "kyosai.api"
    label = "api"
    verbose_name = "API"

    def ready(self) -> None:
        from kyosai.api import schema  # noqa: F401  (registers the token scheme)
