from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "kyosai.web"
    label = "web"
    verbose_name = "画面"

    def ready(self) -> None:
        from kyosai.results.signals import dashboards_stale
        from kyosai.web.warm import on_dashboards_stale

        dashboards_stale.connect(on_dashboards_stale, dispatch_uid="kyosai.web.warm")
