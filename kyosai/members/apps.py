from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "kyosai.members"
    label = "members"
    verbose_name = "組合員・契約"

    def ready(self) -> None:
        from kyosai.members import checks  # noqa: F401  (registers the retention deploy check)

        # `kyosai imports revert` undoes member and contract imports too (kyosai.members.revert)
        from kyosai.members.revert import revert_contracts_import, revert_members_import
        from kyosai.results.models import ImportLog
        from kyosai.results.revert import register_revert

        register_revert(ImportLog.Dataset.MEMBERS, revert_members_import)
        register_revert(ImportLog.Dataset.CONTRACTS, revert_contracts_import)
