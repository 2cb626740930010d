"""kyosai import targets FILE: targets (fiscal year × branch/union × product × measure × kind)."""

from kyosai.results.management.base import ImportCommand


class Command(ImportCommand):
    kyosai_group = "データ取込"
    kyosai_examples = (
        "kyosai import targets targets-2024.csv --dry-run",
        "kyosai import targets targets-2024.xlsx",
    )
    help = "目標のファイル（CSV / xlsx）を検証して取り込みます。同じキーの値は置き換えます。"
    dataset = "targets"
    label = "目標"
