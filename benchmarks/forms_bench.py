"""Lay out 1,000 プレ印字申込書 pages (one per member) and time it. Goal: under 30 s.

    KYOSAI_ENV=test .venv/bin/python benchmarks/forms_bench.py [--pages 1000]

The pages are made up (no database needed); the layout, fonts and template are the command's.
Prints the time and the page count and exits 1 over the goal.

Measured on the shared 2-core machine (load average 4–8): 1,000 pages 49.0 s with the WeasyPrint
layout (one HTML document, a table per form), 1.2–2 s with the ReportLab canvas that replaced it.
"""

import argparse
import os
import sys
import time
from datetime import date
from types import SimpleNamespace

GOAL_SECONDS = 30.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()
    from kyosai.domain.dates import format_japanese_date
    from kyosai.domain.formatting import format_date
    from kyosai.members.preprinted import FormPage, form_key, render_pdf

    birth = date(1985, 4, 1)
    pages = [FormPage(form_key("140001", str(n)), "東京第一単組", str(n), f"見本 太郎{n}",
                      "ミホン タロウ", format_japanese_date(birth), format_date(birth), 39,
                      "正規", "3口 — 子育て世代の死亡保障を厚く") for n in range(1, args.pages + 1)]
    product = SimpleNamespace(name="団体生命共済", code="group_life")
    started = time.perf_counter()
    pdf = render_pdf(pages, product, date(2024, 11, 30))
    elapsed = time.perf_counter() - started
    print(f"{args.pages:,} ページ: {elapsed:.1f} 秒, {len(pdf) / 1e6:.1f} MB (目標 {GOAL_SECONDS:.0f} 秒未満)")
    return 0 if elapsed < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
