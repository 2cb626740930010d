from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "kyosai.members"
    label = "members"
    verbose_name = "組合員・契約"
