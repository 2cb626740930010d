"""kyosai import members FILE: the roster, upserted by union + member_no."""

from pathlib import Path
from typing import Any

from kyosai.members.management.base import FileImportCommand
from kyosai.members.services import import_members
from kyosai.results.services import ImportOutcome


class Command(FileImportCommand):
    help = "組合員名簿（CSV / xlsx）を検証して取り込みます。単組＋組合員番号で追加・更新します。"
    kyosai_examples = (
        "kyosai import members members.csv --dry-run",
    )
    label = "組合員"

    def run_import(self, path: Path, data: bytes, **options: Any) -> ImportOutcome:
        return import_members(path.name, data, **options)
