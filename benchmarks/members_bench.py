"""Benchmark: the whole federation's roster and contracts — import, lists, counts, the list page.

    python benchmarks/members_bench.py [--members 700000] [--contracts 2500000] [--clients 20]
    python benchmarks/members_bench.py --home DIR --reuse   # steps 3-4 again on DIR's database

A fresh SQLite database in a temporary directory (or --home DIR) gets ~2,550 unions, a roster of
--members people and --contracts contracts written as CSV files (made-up rows). Then:

1. a bare executemany of the same rows (csv.reader → INSERT, codes looked up in dicts) into the
   empty tables: the baseline;
2. `kyosai import members FILE` and `kyosai import contracts FILE` into the emptied tables, each in
   its own process: wall time and peak memory (max RSS). Goals: within 2× the baseline, < 500 MiB;
   then the same two files again (every key stored, so every row replaced and its state before
   kept for `kyosai imports revert`);
3. `members unenrolled` for the largest union (goal < 1 s) and `members penetration` for every
   union (goal < 3 s), in process, best of 3;
4. the largest union's member list page `/unions/CODE/members/` and its branch's
   `/branches/CODE/members/` as an HQ admin (`kyosai serve`, --clients concurrent clients):
   p50/p95 (goal p95 < 300 ms).

--reuse (with --home) skips building: steps 3 and 4 again on the federation built there before
(e.g. the same copy of a database before and after a change).

Prints figures only; asserts nothing.
"""

import argparse
import csv
import io
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

AS_OF = "2024-11-30"
PRODUCTS = [("general", 33), ("group_life", 13), ("mycar", 15), ("fire", 12),
            ("natural_disaster", 8), ("traffic_accident", 8), ("long_term_savings", 6),
            ("compulsory_auto", 3), ("nursing_care", 2)]
MEMBER_COLUMNS = ["union_id", "member_no", "name", "kana", "birth_date", "gender", "hired_on",
                  "joined_on", "employment", "reemployment_ends_on", "officer", "left_on"]
CONTRACT_COLUMNS = ["contract_no", "member_id", "product_id", "insured", "started_on", "ended_on",
                    "units", "premium", "vehicle_registered", "vehicle_inspected_on"]


def setup(home: Path) -> None:
    os.environ["KYOSAI_ENV"] = "development"
    os.environ["KYOSAI_HOME"] = str(home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("init", stdout=io.StringIO())


def make_unions(count: int) -> list[tuple[str, int]]:
    """The unions with a skewed size each (the first of each branch the largest)."""
    from kyosai.domain.rollup import apportion
    from kyosai.org.models import Branch, Union

    branches = list(Branch.objects.prefectural())
    rng = random.Random(1)
    new = []
    for branch, size in zip(branches, apportion(count, [1] * len(branches)), strict=True):
        for n in range(1, size + 1):
            new.append(Union(code=f"{branch.code}{n:04d}", name=f"{branch.name}第{n}単組",
                             branch=branch))
    Union.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    weights = {}
    for code in Union.objects.values_list("code", flat=True):
        weights[code] = (rng.randint(1, 60) ** 2 + 20) * (6 if code.endswith("0001") else 1)
    return sorted(weights.items())


def write_files(home: Path, unions: list[tuple[str, int]], members: int,
                contracts: int) -> tuple[Path, Path, str]:
    from kyosai.domain.rollup import apportion

    rng = random.Random(7)
    sizes = apportion(members, [w for _, w in unions])
    member_path, contract_path = home / "members.csv", home / "contracts.csv"
    people: list[tuple[str, str]] = []
    with member_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["union", "member_no", "name", "kana", "birth_date", "gender", "hired_on",
                      "joined_on", "employment", "reemployment_ends_on", "officer", "left_on"])
        for (code, _), size in zip(unions, sizes, strict=True):
            for n in range(1, size + 1):
                born = date(1960, 1, 1) + timedelta(days=rng.randint(0, 16000))
                hired = born + timedelta(days=rng.randint(6600, 9000))
                left = (hired + timedelta(days=rng.randint(30, 3000))
                        if rng.random() < 0.03 else None)
                out.writerow([code, f"{n:06d}", f"組合員 {n}", "クミアイイン", born.isoformat(),
                              rng.choice("男女"), hired.isoformat(), "", "regular", "",
                              1 if n <= 3 else 0, left.isoformat() if left else ""])
                people.append((code, f"{n:06d}"))
    products = [p for p, _ in PRODUCTS]
    weights = [w for _, w in PRODUCTS]
    with contract_path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["contract_no", "union", "member_no", "product", "insured", "started_on",
                      "ended_on", "units", "premium", "vehicle_registered",
                      "vehicle_inspected_on"])
        for n in range(1, contracts + 1):
            code, member_no = people[rng.randrange(len(people))]
            product = rng.choices(products, weights)[0]
            started = date(2000, 1, 1) + timedelta(days=rng.randint(0, 9000))
            ended = started + timedelta(days=rng.randint(30, 3000)) if rng.random() < .1 else None
            out.writerow([f"K{n:09d}", code, member_no, product,
                          "self" if rng.random() < .85 else "spouse", started.isoformat(),
                          ended.isoformat() if ended else "", rng.randint(1, 5),
                          rng.randint(1, 60) * 100, "2018-04" if product == "mycar" else "", ""])
    largest = max(zip(unions, sizes, strict=True), key=lambda pair: pair[1])[0][0]
    return member_path, contract_path, largest


def baseline(member_path: Path, contract_path: Path) -> tuple[float, float]:
    """The same rows with a bare executemany: csv.reader, dict lookups, INSERT in batches."""
    from django.db import connection, transaction

    from kyosai.catalog.models import Product
    from kyosai.org.models import Union

    unions = dict(Union.objects.values_list("code", "pk"))
    products = dict(Product.objects.values_list("code", "pk"))

    def insert(table: str, columns: list[str], rows) -> None:
        sql = (f'INSERT INTO "{table}" ({", ".join(columns)}) '
               f'VALUES ({", ".join(["%s"] * len(columns))})')
        with connection.cursor() as cursor:
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= 10_000:
                    cursor.executemany(sql, batch)
                    batch.clear()
            if batch:
                cursor.executemany(sql, batch)

    def member_rows():
        with member_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for (union, no, name, kana, born, gender, hired, joined, employment, ends, officer,
                 left) in reader:
                yield (unions[union], no, name, kana, born, "male" if gender == "男" else "female",
                       hired, joined or None, employment, ends or None, officer == "1",
                       left or None)

    started = time.perf_counter()
    with transaction.atomic():
        insert("members_member", MEMBER_COLUMNS, member_rows())
    members_s = time.perf_counter() - started
    from kyosai.members.models import Member

    ids = {(u, n): pk for pk, u, n in Member.objects.values_list("pk", "union_id", "member_no")
           .iterator(chunk_size=50_000)}

    def contract_rows():
        with contract_path.open(encoding="utf-8", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for (no, union, member, product, insured, begun, ended, units, premium, registered,
                 inspected) in reader:
                yield (no, ids[unions[union], member], products[product], insured, begun,
                       ended or None, int(units), int(premium),
                       f"{registered}-01" if registered else None, inspected or None)

    started = time.perf_counter()
    with transaction.atomic():
        insert("members_contract", CONTRACT_COLUMNS, contract_rows())
    return members_s, time.perf_counter() - started


def largest_union() -> str:
    """The code of the union with the most members on the roster (a --reuse run)."""
    from django.db.models import Count

    from kyosai.org.models import Union

    return (Union.objects.annotate(size=Count("roster")).order_by("-size", "code")
            .values_list("code", flat=True)[0])


def clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM members_contract")
        cursor.execute("DELETE FROM members_member")


def run_command(*args: str) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of `kyosai ARGS` in its own process."""
    kyosai = str(Path(sys.executable).parent / "kyosai")
    started = time.perf_counter()
    process = subprocess.Popen([kyosai, *args, "-v", "0"], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    _, _, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if process.stderr is not None:
        error = process.stderr.read().decode()
        if error.strip():
            print(error[-2000:])
    return elapsed, usage.ru_maxrss


def best_of(function, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def lists(largest: str) -> None:
    from django.core.management import call_command

    def unenrolled() -> None:
        call_command("members_unenrolled", "--product", "general", "--as-of", AS_OF,
                     "--union", largest, "--format", "csv", stdout=io.StringIO())

    def penetration() -> None:
        call_command("members_penetration", "--product", "general", "--as-of", AS_OF,
                     "--format", "csv", stdout=io.StringIO())

    out = io.StringIO()
    call_command("members_unenrolled", "--product", "general", "--as-of", AS_OF, "--union",
                 largest, "--format", "csv", stdout=out)
    rows = out.getvalue().count("\n") - 1
    seconds = best_of(unenrolled)
    print(f"members unenrolled（最大の単組 {largest}、{rows:,} 人）: {seconds:.2f} 秒 "
          f"{'OK' if seconds < 1 else '目標 1 秒 未達'}")
    seconds = best_of(penetration)
    print(f"members penetration（全単組）: {seconds:.2f} 秒 {'OK' if seconds < 3 else '目標 3 秒 未達'}")


def web(largest: str, clients: int, requests: int) -> None:
    from web_bench import free_port, login, ms, percentile, run_page, wait_for

    from kyosai.accounts.services import create_demo_users

    create_demo_users()
    port = free_port()
    kyosai = str(Path(sys.executable).parent / "kyosai")
    server = subprocess.Popen([kyosai, "serve", "--host", "127.0.0.1", "--port", str(port),
                               "--quiet"], cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_for(port, server)
        for user, path in (("hq", f"/unions/{largest}/members/?product=general&as_of={AS_OF}"),
                           ("hq", f"/branches/{largest[:2]}/members/?product=general"
                                  f"&as_of={AS_OF}")):
            cookie = login(port, user)
            warm = run_page(port, path, cookie, 1, 1)
            timings = run_page(port, path, cookie, clients, requests)
            if not timings:
                print(f"{path}: 応答がありません")
                continue
            p95 = percentile(timings, 95)
            print(f"{path} {clients} クライアント n={len(timings)} 初回={ms(warm[0]) if warm else '-'} ms "
                  f"p50={ms(percentile(timings, 50))} ms p95={ms(p95)} ms max={ms(timings[-1])} ms "
                  f"{'OK' if p95 < 300_000_000 else '目標 300 ms 未達'}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=700_000)
    parser.add_argument("--contracts", type=int, default=2_500_000)
    parser.add_argument("--unions", type=int, default=2_550)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--home", type=Path, help="keep the database here (default: a temp dir)")
    parser.add_argument("--skip-web", action="store_true")
    parser.add_argument("--reuse", action="store_true",
                        help="--home holds a federation built before: time the lists and pages only")
    args = parser.parse_args()
    if args.reuse and args.home is None:
        parser.error("--reuse needs --home")
    with tempfile.TemporaryDirectory(prefix="kyosai-members-bench-") as temporary:
        home = args.home or Path(temporary)
        home.mkdir(parents=True, exist_ok=True)
        setup(home)
        if args.reuse:
            largest = largest_union()
            print(f"SQLite {home}（既存）: 最大の単組 {largest}")
            lists(largest)
            if not args.skip_web:
                web(largest, args.clients, args.requests)
            return
        unions = make_unions(args.unions)
        started = time.perf_counter()
        member_path, contract_path, largest = write_files(home, unions, args.members,
                                                          args.contracts)
        print(f"SQLite {home}: 単組 {len(unions):,}、組合員 {args.members:,} 人、契約 "
              f"{args.contracts:,} 件（ファイル作成 {time.perf_counter() - started:.0f} 秒）")
        base_members, base_contracts = baseline(member_path, contract_path)
        clear()
        members_s, members_rss = run_command("import", "members", str(member_path))
        contracts_s, contracts_rss = run_command("import", "contracts", str(contract_path))
        for name, seconds, base, rss in (("組合員", members_s, base_members, members_rss),
                                         ("契約", contracts_s, base_contracts, contracts_rss)):
            ratio = seconds / base
            print(f"取込 {name}: {seconds:.1f} 秒（素の executemany {base:.1f} 秒、{ratio:.2f} 倍 "
                  f"{'OK' if ratio <= 2 else '目標 2 倍 未達'}）、最大メモリ {rss / 1024:.0f} MiB "
                  f"{'OK' if rss < 500 * 1024 else '目標 500 MiB 未達'}")
        # the same files again: every key is stored, every row replaced (and kept for a revert)
        for name, command, base in (("組合員", ("import", "members", str(member_path)), base_members),
                                    ("契約", ("import", "contracts", str(contract_path)),
                                     base_contracts)):
            seconds, rss = run_command(*command)
            print(f"再取込 {name}（全行置換）: {seconds:.1f} 秒（素の executemany の "
                  f"{seconds / base:.2f} 倍）、最大メモリ {rss / 1024:.0f} MiB")
        lists(largest)
        if not args.skip_web:
            web(largest, args.clients, args.requests)


if __name__ == "__main__":
    main()
