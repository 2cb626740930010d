"""Load benchmark: 50 concurrent users for 60 s against `kyosai serve` on PostgreSQL (loopback).

    python benchmarks/load_bench.py --postgres postgres://USER:PASS@127.0.0.1/SCRATCH_DB
        [--users 50] [--seconds 60] [--unions 2550] [--skip-setup] [--workers N] [--threads N]

The database must be a scratch one: unless --skip-setup, `kyosai init` and `kyosai demo-data`
(demo federation; --unions scales it) replace its data. Then `kyosai serve` (gunicorn) starts on
a free loopback port and N client threads log in as demo users — HQ (hq, hq-staff), branch staff
of several branches, union officers and the read-only viewer — and each repeats, with a think
time of --think seconds (uniform 0.5×–1.5×), a mix of:

    dashboard:national  /scorecard/?as_of=2024-11
    dashboard:region    /regions/CODE/          dashboard:branch   /branches/CODE/
    dashboard:union     /unions/CODE/           dashboard:item     /groups|products/CODE/
    export              a page's table as CSV or xlsx (?export=…&table=…, links read from the page)
    plan_edit           POST a 実行状況 to a plan item the user may edit (HQ's or own branch's)

and one more thread (HQ) uploads a results file every 10 s (/imports/ → preview → apply), each
upload replacing the same keys with new values (upload).

Reported: requests, errors, p50/p95/max per kind. Checked after the run, in the database: every
plan edit answered 302 is stored exactly once (its unique text), and none other; every applied
upload left exactly one import log, and the stored values are those of the last one. Goal: 0
errors, 0 lost or duplicated writes, dashboards p95 < 500 ms. A benchmark: prints figures, exits 1
only when a write was lost or duplicated.
"""

import argparse
import http.client
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from web_bench import free_port, kyosai_command, login, percentile, wait_for  # noqa: E402

GOAL_MS = 500
AS_OF = "2024-11"
UPLOAD_EVERY = 10.0
IDLE_SECONDS = 1.5
#: The heading of a dashboard served from its previous computation while a new one is computed.
STALE_MARK = "時点の集計です。新しいデータの集計を計算しています".encode()


class Client:
    """One user's keep-alive connection with its cookies."""

    def __init__(self, port: int, username: str) -> None:
        self.port = port
        self.username = username
        self.cookie = login(port, username)
        self.csrf = re.search(r"csrftoken=([^;]+)", self.cookie)
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.used = 0.0  # when the connection last answered (0: a new connection)
        self.retries = 0

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie}
        if content_type:
            headers["Content-Type"] = content_type
        if method == "POST" and self.csrf:
            headers["X-CSRFToken"] = self.csrf.group(1)
        if method == "POST" or time.monotonic() - self.used > IDLE_SECONDS:
            # gunicorn closes a keep-alive connection idle for 2 s; a write gets a new one, so it
            # is never sent twice (below, only a GET on a reused connection is retried).
            self._reconnect()
        reused = self.used > 0
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                answer = response.status, response.read()
                self.used = time.monotonic()
                return answer
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                # The server closed the idle connection as the request went out: a browser
                # sends a GET again on a new connection (counted as a retry, not hidden).
                self._reconnect()
                if method != "GET" or not reused or attempt == 2:
                    raise
                self.retries += 1
            except (OSError, http.client.HTTPException):
                self._reconnect()
                raise
        raise AssertionError("unreachable")

    def _reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        self.used = 0.0

    def form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        token = self.csrf.group(1) if self.csrf else ""
        return self.request("POST", path, urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": token}).encode(),
            "application/x-www-form-urlencoded")

    def upload(self, path: str, fields: dict[str, str], name: str,
               data: bytes) -> tuple[int, bytes]:
        boundary = uuid.uuid4().hex
        parts = []
        token = self.csrf.group(1) if self.csrf else ""
        for key, value in {**fields, "csrfmiddlewaretoken": token}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"'
                         f"\r\n\r\n{value}\r\n".encode())
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                     f'filename="{name}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
                     + data + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts),
                            f"multipart/form-data; boundary={boundary}")


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.timings: dict[str, list[int]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)
        self.plan_texts: list[str] = []
        self.uploads: list[tuple[str, int]] = []  # (file name, bump) of applied uploads
        self.dashboards = 0  # dashboards answered 200
        self.stale = 0  # of which served from the previous computation, marked as such

    def timed(self, kind: str, call, ok=(200,)) -> tuple[int, bytes] | None:
        started = time.perf_counter_ns()
        try:
            status, body = call()
        except (OSError, http.client.HTTPException) as exc:
            with self.lock:
                self.errors[kind].append(type(exc).__name__)
            return None
        elapsed = time.perf_counter_ns() - started
        with self.lock:
            self.timings[kind].append(elapsed)
            if status not in ok:
                self.errors[kind].append(f"HTTP {status}")
        return status, body


# --- the world the users act in ---------------------------------------------------------------


def setup_django(url: str, home: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["KYOSAI_HOME"] = str(home)
    os.environ.setdefault("KYOSAI_ENV", "development")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyosai.settings")
    import django

    django.setup()


def world(branch_users: int, union_users: int) -> dict:
    """Codes and plan items the users visit, read once from the database."""
    from django.contrib.auth import get_user_model

    from kyosai.accounts.access import access_for
    from kyosai.catalog.models import Product
    from kyosai.domain.periods import YearMonth
    from kyosai.org.models import Branch, Region, Union
    from kyosai.plans.models import PlanItem
    from kyosai.results.models import MonthlyResult

    branches = list(Branch.objects.prefectural().order_by("code").values_list("code", flat=True))
    chosen = branches[:: max(1, len(branches) // branch_users)][:branch_users]
    officers = {name.removeprefix("union-") for name in get_user_model().objects.filter(
        username__startswith="union-").values_list("username", flat=True)}
    unions = sorted(officers & set(Union.objects.values_list("code", flat=True)))[:union_users]
    if not unions:
        sys.exit("組合の役員（union-CODE）の利用者がいません（kyosai demo-data を実行しましたか）。")
    items: dict[str, list[int]] = defaultdict(list)
    for pk, owner in PlanItem.objects.filter(plan__period="2024H1").values_list(
            "pk", "plan__owner__code"):
        items[owner].append(pk)
    hq = next(code for code in items if Branch.objects.get(code=code).is_hq)
    regions = list(Region.objects.values_list("code", flat=True))
    region_branches: dict[str, list[int]] = defaultdict(list)
    for region, pk in Branch.objects.filter(region__isnull=False).values_list("region__code", "pk"):
        region_branches[region].append(pk)
    # Branch staff open only the regions the app shows them (no region narrowing to one other
    # branch, Access.can_view_region); anything else would be a 404 counted as an error.
    visible_regions = {}
    for code in chosen:
        access = access_for(get_user_model().objects.get(username=f"branch-{code}"))
        visible_regions[code] = [r for r in regions if access.can_view_region(region_branches[r])]
    month = YearMonth.parse(AS_OF).first_day()
    upload_keys = list(MonthlyResult.objects.filter(
        month=month, branch__code="14", union__isnull=False, product__code="general",
        measure__code="holdings").values_list("union__code", flat=True).order_by("union__code"))
    return {"branches": branches, "chosen": chosen, "unions": unions, "items": items, "hq": hq,
            "regions": regions, "visible_regions": visible_regions,
            "products": list(Product.objects.values_list("code", flat=True)),
            "upload_unions": upload_keys}


def upload_file(unions: list[str], bump: int) -> bytes:
    lines = ["month,branch,union,product,measure,value"]
    lines += [f"{AS_OF},14,{code},general,holdings,{1000 + n + bump}"
              for n, code in enumerate(unions)]
    return ("\n".join(lines) + "\n").encode()


# --- the users --------------------------------------------------------------------------------


def user_loop(client: Client, role: str, home: str | None, w: dict, rec: Recorder,
              until: float, think: float, run_id: str, rng: random.Random) -> None:
    exports: list[str] = []
    pages = [("dashboard:national", f"/scorecard/?as_of={AS_OF}")]
    if role in ("hq", "viewer", "branch"):
        regions = w["visible_regions"][home] if role == "branch" else w["regions"]
        pages += [("dashboard:region", f"/regions/{code}/") for code in regions]
        pages += [("dashboard:item", f"/products/{code}/") for code in w["products"][:6]]
    if role in ("hq", "viewer"):
        pages += [("dashboard:branch", f"/branches/{code}/") for code in w["branches"]]
        pages += [("dashboard:union", f"/unions/{code}/") for code in w["unions"]]
    elif role == "branch":
        pages.append(("dashboard:branch", f"/branches/{home}/"))
        pages += [("dashboard:union", f"/unions/{code}/") for code in w["unions"]
                  if code.startswith(home)]
    elif role == "union":
        pages = [("dashboard:union", f"/unions/{home}/")]
    editable = (w["items"].get(w["hq"], []) if role == "hq"
                else w["items"].get(home, []) if role == "branch" else [])
    sequence = 0
    while time.monotonic() < until:
        roll = rng.random()
        if editable and roll < 0.15:
            sequence += 1
            text = f"負荷試験 {run_id} {client.username} {threading.get_ident()} {sequence}"
            done = rec.timed("plan_edit", lambda t=text: client.form(
                f"/plans/items/{rng.choice(editable)}/statuses/", {"text": t}), ok=(302,))
            if done and done[0] == 302:
                with rec.lock:
                    rec.plan_texts.append(text)
        elif exports and roll < 0.30:
            rec.timed("export", lambda: client.request("GET", rng.choice(exports)))
        else:
            kind, path = rng.choice(pages)
            done = rec.timed(kind, lambda p=path: client.request("GET", p))
            if done and done[0] == 200:
                with rec.lock:
                    rec.dashboards += 1
                    rec.stale += STALE_MARK in done[1]
            if done and done[0] == 200 and len(exports) < 40:
                for link in re.findall(rb'href="([^"]*[?&](?:amp;)?export=[^"]+)"', done[1]):
                    exports.append(urllib.parse.urljoin(path, link.decode().replace("&amp;", "&")))
        time.sleep(think * rng.uniform(0.5, 1.5))


def upload_loop(client: Client, w: dict, rec: Recorder, until: float, run_id: str) -> None:
    number = 0
    while time.monotonic() < until:
        started = time.monotonic()
        number += 1
        name = f"load-{run_id}-{number}.csv"

        def both(n: int = number, name: str = name) -> tuple[int, bytes]:
            status, body = client.upload("/imports/", {"dataset": "results"}, name,
                                         upload_file(w["upload_unions"], n))
            token = re.search(rb'name="token" value="([0-9a-f]+)"', body)
            if status != 200 or token is None:
                return (status if status != 200 else 422), body
            return client.form("/imports/apply/", {"token": token.group(1).decode()})

        done = rec.timed("upload", both, ok=(302,))
        if done and done[0] == 302:
            with rec.lock:
                rec.uploads.append((name, number))
        time.sleep(max(0.0, UPLOAD_EVERY - (time.monotonic() - started)))


# --- checks -----------------------------------------------------------------------------------


def check_writes(rec: Recorder, w: dict, run_id: str) -> list[str]:
    from kyosai.domain.periods import YearMonth
    from kyosai.plans.models import StatusEntry
    from kyosai.results.models import ImportLog, MonthlyResult

    problems = []
    stored = list(StatusEntry.objects.filter(text__startswith=f"負荷試験 {run_id} ")
                  .values_list("text", flat=True))
    if sorted(stored) != sorted(rec.plan_texts):
        lost = set(rec.plan_texts) - set(stored)
        extra = len(stored) - len(set(stored))
        problems.append(f"実行状況: 送信成功 {len(rec.plan_texts)} 件、保存 {len(stored)} 件"
                        f"（消失 {len(lost)}、重複 {extra}）")
    logs = list(ImportLog.objects.filter(file_name__startswith=f"load-{run_id}-")
                .values_list("file_name", flat=True))
    if sorted(logs) != sorted(name for name, _ in rec.uploads):
        problems.append(f"取込: 成功 {len(rec.uploads)} 件、取込履歴 {len(logs)} 件")
    if rec.uploads:
        last = max(number for _, number in rec.uploads)
        expected = {code: 1000 + n + last for n, code in enumerate(w["upload_unions"])}
        values = dict(MonthlyResult.objects.filter(
            month=YearMonth.parse(AS_OF).first_day(), union__code__in=expected,
            product__code="general", measure__code="holdings").values_list("union__code", "value"))
        wrong = sum(1 for code, value in expected.items() if values.get(code) != value)
        if wrong:
            problems.append(f"取込: 最後の取込の値と異なる行 {wrong} 件")
    return problems


def report(rec: Recorder, seconds: float, users: int) -> None:
    total = sum(len(v) for v in rec.timings.values())
    errors = sum(len(v) for v in rec.errors.values())
    print(f"{users} users + 1 uploader, {seconds:.0f} s: {total:,} requests "
          f"({total / seconds:,.1f}/s), {errors} errors")
    print(f"{'kind':20s} {'requests':>8s} {'errors':>6s} {'p50 ms':>8s} {'p95 ms':>8s} "
          f"{'max ms':>8s}")
    for kind in sorted(rec.timings):
        ns = sorted(rec.timings[kind])
        flag = ("  (goal p95 < 500 ms: " + ("met" if percentile(ns, 95) / 1e6 < GOAL_MS
                                              else "MISSED") + ")"
                if kind.startswith("dashboard") else "")
        print(f"{kind:20s} {len(ns):8,d} {len(rec.errors.get(kind, [])):6d} "
              f"{percentile(ns, 50) / 1e6:8.0f} {percentile(ns, 95) / 1e6:8.0f} "
              f"{ns[-1] / 1e6:8.0f}{flag}")
    for kind, found in sorted(rec.errors.items()):
        kinds = defaultdict(int)
        for error in found:
            kinds[error] += 1
        print(f"errors {kind}: {dict(kinds)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="URL", required=True,
                        help="a scratch PostgreSQL database (its data is replaced)")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean think time (s)")
    parser.add_argument("--unions", type=int, default=None, help="demo-data --unions")
    parser.add_argument("--skip-setup", action="store_true",
                        help="the database already holds kyosai demo-data")
    parser.add_argument("--home", type=Path, default=None, help="KYOSAI_HOME (default: temporary)")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not urllib.parse.urlparse(args.postgres).scheme.startswith("postgres"):
        sys.exit("--postgres には postgres://… を指定してください。")
    home = args.home or Path(tempfile.mkdtemp(prefix="kyosai-load-"))
    env = {**os.environ, "KYOSAI_ENV": "development", "KYOSAI_HOME": str(home),
           "DATABASE_URL": args.postgres, "PATH": f"{Path(sys.executable).parent}:"
           + os.environ.get("PATH", "")}
    kyosai = kyosai_command()
    if not args.skip_setup:
        subprocess.run([*kyosai, "init"], env=env, check=True)
        demo = [*kyosai, "demo-data"] + (["--unions", str(args.unions)] if args.unions else [])
        started = time.perf_counter()
        subprocess.run(demo, env=env, check=True)
        print(f"demo-data: {time.perf_counter() - started:.0f} s", flush=True)
    setup_django(args.postgres, home)
    branch_users = max(1, args.users * 2 // 5)
    union_users = max(1, args.users // 10)
    w = world(branch_users, union_users)
    port = free_port()
    serve = [*kyosai, "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet"]
    if args.workers:
        serve += ["--workers", str(args.workers)]
    if args.threads:
        serve += ["--threads", str(args.threads)]
    server_log = home / "load-bench-server.log"
    server = subprocess.Popen(serve, env=env, stdout=subprocess.DEVNULL,
                              stderr=server_log.open("w"))
    try:
        wait_for(port, server)
        run_id = uuid.uuid4().hex[:8]
        rng = random.Random(args.seed)
        roles: list[tuple[str, str, str | None]] = []  # (username, role, home code)
        for n in range(args.users):
            slot = n % 10
            if slot < 3:
                roles.append(("hq" if n % 2 else "hq-staff", "hq", None))
            elif slot < 7:
                code = w["chosen"][n % len(w["chosen"])]
                roles.append((f"branch-{code}", "branch", code))
            elif slot < 9 and w["unions"]:
                code = w["unions"][n % len(w["unions"])]
                roles.append((f"union-{code}", "union", code))
            else:
                roles.append(("viewer", "viewer", None))
        clients = [Client(port, username) for username, _, _ in roles]
        uploader = Client(port, "hq")
        for client in clients:  # warm the first page once
            client.request("GET", f"/scorecard/?as_of={AS_OF}")
        rec = Recorder()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=user_loop, args=(
            client, role, code, w, rec, until, args.think, run_id,
            random.Random(rng.random()))) for client, (_, role, code) in zip(
            clients, roles, strict=True)]
        threads.append(threading.Thread(target=upload_loop,
                                        args=(uploader, w, rec, until, run_id)))
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    report(rec, elapsed, args.users)
    print(f"dashboards served from their previous computation (marked 「…時点の集計です」): "
          f"{rec.stale} of {rec.dashboards}")
    print(f"GETs sent again after the server closed an idle keep-alive connection: "
          f"{sum(client.retries for client in clients)}")
    log = server_log.read_text(encoding="utf-8", errors="replace")
    print(f"server log {server_log}: {log.count('WORKER TIMEOUT')} worker timeouts, "
          f"{log.count('Traceback')} tracebacks")
    problems = check_writes(rec, w, run_id)
    print(f"writes: plan edits {len(rec.plan_texts)}, uploads {len(rec.uploads)} — "
          + ("none lost or duplicated" if not problems else "; ".join(problems)))
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
