from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kyosai.core"
    label = "core"
    verbose_name = "共通"

    def ready(self) -> None:
        # The admin app (listed first) has already imported every app's admin module.
        from kyosai.core.admin import audit_every_admin

        audit_every_admin()
