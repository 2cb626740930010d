from django.apps import AppConfig


class DeliveryConfig(AppConfig):
    name = "kyosai.delivery"
    label = "delivery"
    verbose_name = "配信（購読・アラート・通知）"

    def ready(self) -> None:
        from kyosai.delivery import hooks
        from kyosai.results.signals import results_imported

        results_imported.connect(hooks.on_import, dispatch_uid="kyosai.delivery.on_import")

    def load_demo(self) -> None:
        """`kyosai demo-data`: its demo data (after the demo results)."""
        from kyosai.delivery.demo import load_demo

        load_demo()
