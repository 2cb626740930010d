"""Benchmark: import one national month at union level, beside a bare executemany baseline.

    python benchmarks/import_bench.py [--unions 2550] [--repeat 3]
    python benchmarks/import_bench.py --postgres postgres://USER:PASS@HOST/DB   # SQLite, then PG
    DATABASE_URL=postgres://… python benchmarks/import_bench.py                  # PG only

Without DATABASE_URL a fresh SQLite database is made in a temporary directory; `--postgres URL`
runs the same benchmark on that (scratch!) PostgreSQL database too, in a second process. The file
holds every union × product × measure (rates at branch level) for 2024-11. `kyosai import
results` (read, validate, upsert, roll up, log) is timed against inserting the same rows with a
bare executemany into the same table (the baseline), three ways: into an empty table (new), again
(every key replaced), and after the month before was imported (new, and every flow compared with
the stored month before). Best of --repeat runs; peak Python memory (tracemalloc) in a separate
pass. Goal (issue 11): the import — which also keeps its file and the values it replaces — within
1.5× of the bare insert on every path. Prints figures only; asserts nothing.
"""

import argparse
import csv
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(home: Path) -> None:
    os.environ.setdefault("KYOSAI_ENV", "development")
    os.environ["KYOSAI_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()
    from io import StringIO

    from django.core.management import call_command

    call_command("init", stdout=StringIO())


def make_unions(count: int) -> None:
    from kyosai.domain.rollup import apportion
    from kyosai.org.models import Branch, Union

    branches = list(Branch.objects.prefectural())
    existing = set(Union.objects.values_list("code", flat=True))
    new = []
    for branch, size in zip(branches, apportion(count, [1] * len(branches)), strict=True):
        for n in range(1, size + 1):
            code = f"{branch.code}{n:04d}"
            if code not in existing:
                new.append(Union(code=code, name=f"{branch.name}第{n}単組", branch=branch))
    Union.objects.bulk_create(new, batch_size=2000)


def write_file(path: Path, month: str = "2024-11", bump: int = 0) -> int:
    from kyosai.catalog.models import Product, ProductMeasure
    from kyosai.org.models import Union

    measures: dict[str, list[str]] = {}
    for product, measure in ProductMeasure.objects.exclude(
            product__kind=Product.Kind.COMPOSITE).values_list("product__code", "measure__code"):
        measures.setdefault(product, []).append(measure)
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["month", "branch", "union", "product", "measure", "value"])
        for n, (code, branch) in enumerate(Union.objects.values_list("code", "branch__code")):
            for product, codes in measures.items():
                for measure in codes:
                    if measure == "attachment_rate":
                        continue
                    out.writerow([month, branch, code, product, measure, 100 + n % 97 + bump])
                    rows += 1
    return rows


def run_import(path: Path, expect_added: int | None = None) -> None:
    from kyosai.results.services import import_file

    outcome = import_file("results", path.name, path.read_bytes())
    if not outcome.ok:
        raise SystemExit(f"import failed: {outcome.errors[:3]}")
    if expect_added is not None and outcome.rows_added != expect_added:
        raise SystemExit(f"import added {outcome.rows_added:,} rows, not {expect_added:,}")


def run_baseline(path: Path) -> None:
    """The same rows, ids looked up once, inserted with one bare executemany in a transaction."""
    from django.db import connection, transaction

    from kyosai.catalog.models import Measure, Product
    from kyosai.org.models import Branch, Union
    from kyosai.results.models import MonthlyResult

    branches = dict(Branch.objects.values_list("code", "pk"))
    unions = dict(Union.objects.values_list("code", "pk"))
    products = dict(Product.objects.values_list("code", "pk"))
    measures = dict(Measure.objects.values_list("code", "pk"))
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        month = connection.ops.adapt_datefield_value(__import__("datetime").date(2024, 11, 1))
        rows = [(month, branches[b], unions[u], products[p], measures[m], int(v))
                for _, b, u, p, m, v in reader]
    table = connection.ops.quote_name(MonthlyResult._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} (month, branch_id, union_id, product_id, "
                           "measure_id, value) VALUES (%s, %s, %s, %s, %s, %s)", rows)


def clear() -> None:
    from kyosai.results.models import BranchResult, MonthlyResult

    MonthlyResult.objects.all().delete()
    BranchResult.objects.all().delete()


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def peak(function, *args) -> int:
    tracemalloc.start()
    function(*args)
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def bench(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as home:
        setup(Path(home))
        from django.db import connection

        make_unions(args.unions)
        path = Path(home) / "national-2024-11.csv"
        before = Path(home) / "national-2024-10.csv"
        rows = write_file(path, "2024-11", bump=5)
        write_file(before, "2024-10")
        results: dict[str, list[float]] = {"baseline": [], "import": [], "reimport": [],
                                           "after": []}
        for _ in range(args.repeat):
            clear()
            results["baseline"].append(timed(run_baseline, path))
            clear()
            results["import"].append(timed(run_import, path, rows))
            results["reimport"].append(timed(run_import, path, 0))  # every key replaced
            clear()
            run_import(before, rows)
            results["after"].append(timed(run_import, path, rows))
        clear()
        base_memory = peak(run_baseline, path)
        clear()
        import_memory = peak(run_import, path)
        clear()
        version = (connection.pg_version if connection.vendor == "postgresql"
                   else __import__("sqlite3").sqlite_version)
        print(f"database: {connection.vendor} {version}; rows: {rows:,} "
              f"({args.unions:,} unions × products × measures, 2024-11); best of {args.repeat}")
        base = min(results["baseline"])
        for name, label in (("baseline", "bare executemany"), ("import", "kyosai import (new)"),
                            ("reimport", "kyosai import (replace)"),
                            ("after", "kyosai import (next month)")):
            best = min(results[name])
            memory = base_memory if name == "baseline" else import_memory
            print(f"{label:27s} {best:7.2f} s  {rows / best:10,.0f} rows/s  "
                  f"{best / base:5.2f}× baseline  peak {memory / 2**20:6.1f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unions", type=int, default=2550)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", metavar="URL",
                        help="also run on this scratch PostgreSQL database (its tables are cleared)")
    args = parser.parse_args()
    if args.postgres:
        import subprocess

        argv = [sys.executable, __file__, "--unions", str(args.unions), "--repeat",
                str(args.repeat)]
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        subprocess.run(argv, env=env, check=True)
        subprocess.run(argv, env={**env, "DATABASE_URL": args.postgres}, check=True)
        return
    bench(args)


if __name__ == "__main__":
    main()
