"""Build the whole half-year report for the national demo federation and time each format.

    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-bench .venv/bin/kyosai init
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-bench .venv/bin/kyosai demo-data
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-bench .venv/bin/python benchmarks/report_bench.py

Uses the database the environment names (run `kyosai demo-data` there first). Goal: under 60 s
for the three formats together. Prints the time of each part and exits 1 over the goal.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 60.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", default="2024-11")
    parser.add_argument("--period", default="2024H1")
    parser.add_argument("--no-edition", action="store_true",
                        help="build without the period's edition (its months and narratives)")
    parser.add_argument("--out", default=None, help="keep the files here (default: a temp dir)")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()
    from kyosai.accounts.access import SYSTEM
    from kyosai.domain.periods import YearMonth
    from kyosai.domain.reporting import HalfYear
    from kyosai.reports.builder import build_report
    from kyosai.reports.html import render_html
    from kyosai.reports.pdf import write_pdf
    from kyosai.reports.sources import DatabaseSources
    from kyosai.reports.xlsx import write_xlsx
    from kyosai.results.selectors import latest_month

    if latest_month(access=SYSTEM) is None:
        print("実績が登録されていません。先に kyosai demo-data を実行してください。",
              file=sys.stderr)
        return 2
    out = Path(args.out or tempfile.mkdtemp(prefix="report-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    from kyosai.accounts.access import SYSTEM
    from kyosai.reports.selectors import edition_for, edition_text

    edition = None if args.no_edition else edition_for(args.period, access=SYSTEM)
    as_of = YearMonth.parse(edition.as_of) if edition else YearMonth.parse(args.as_of)
    report = build_report(as_of, HalfYear.parse(args.period), DatabaseSources(),
                          edition=edition_text(edition, access=SYSTEM) if edition else None)
    timings["build (queries)"] = time.perf_counter() - started

    started = time.perf_counter()
    (out / "report.html").write_text(render_html(report), encoding="utf-8")
    timings["html"] = time.perf_counter() - started

    started = time.perf_counter()
    write_xlsx(report, out / "report.xlsx")
    timings["xlsx"] = time.perf_counter() - started

    started = time.perf_counter()
    write_pdf(report, out / "report.pdf")
    timings["pdf"] = time.perf_counter() - started

    total = sum(timings.values())
    tables = len(report.tables())
    rows = sum(len(table.rows) for table in report.tables())
    print(f"report: {len(report.sections)} sections, {tables} tables, {rows:,} rows -> {out}")
    for name, seconds in timings.items():
        print(f"  {name:<16} {seconds:7.2f} s")
    print(f"  {'total':<16} {total:7.2f} s  (goal < {GOAL_SECONDS:.0f} s)")
    return 0 if total < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
