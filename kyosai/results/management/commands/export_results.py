"""kyosai export results: stored results in exactly the import format (CSV or xlsx)."""

from kyosai.results.management.exportbase import ExportCommand


class Command(ExportCommand):
    kyosai_group = "目標・実績"
    kyosai_examples = (
        "kyosai export results --month 2024-11 -o results.csv",
        "kyosai export results --fiscal-year 2024 --branch 14 --format xlsx -o tokyo.xlsx",
    )
    help = "実績を取込と同じ形式（CSV / xlsx）で書き出します。書き出したファイルはそのまま取り込めます。"
    dataset = "results"
