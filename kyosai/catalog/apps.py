from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "kyosai.catalog"
    label = "catalog"
    verbose_name = "制度・指標"
