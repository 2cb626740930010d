"""kyosai import results FILE: monthly results (month × branch/union × product × measure)."""

from kyosai.results.management.base import ImportCommand


class Command(ImportCommand):
    kyosai_group = "データ取込"
    kyosai_examples = (
        "kyosai import results results-2024-11.csv --dry-run",
        "kyosai import results results-2024-11.xlsx",
    )
    help = "月次実績のファイル（CSV / xlsx）を検証して取り込みます。同じキーの値は置き換えます。"
    dataset = "results"
    label = "実績"
