"""kyosai init: create or upgrade the database and load the master data (idempotent)."""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from kyosai.catalog.services import load_catalog
from kyosai.core.home import ensure_home
from kyosai.org.services import load_organisation


class Command(BaseCommand):
    kyosai_group = "運用"
    kyosai_examples = (
        "kyosai init",
    )
    help = "データベースを作成・更新し、マスタデータ（地連・県支部・制度・指標・事業年度）を登録します。"

    def handle(self, *args: Any, **options: Any) -> None:
        from django.conf import settings

        ensure_home(settings.KYOSAI_HOME)
        str(settings.SECRET_KEY)  # without SECRET_KEY(_FILE): generated into KYOSAI_HOME, kept after
        call_command("migrate", interactive=False, verbosity=0)
        created = load_organisation() + load_catalog()
        if created:
            self.stdout.write(f"マスタデータを {created} 件登録しました。")
        else:
            self.stdout.write("データベースは最新です（変更はありません）。")
