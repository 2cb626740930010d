"""Web benchmark: the national scorecard and a branch page under 20 concurrent clients.

Starts `kyosai serve` (gunicorn) on a free loopback port against the database of the current
environment, logs in as the demo users `hq` and `branch-CODE`, warms each page once, then sends a
bounded number of requests per page from N client threads (keep-alive connections) and prints
p50/p95/max per page. Goal: p95 < 300 ms on SQLite.

    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo kyosai init
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo kyosai demo-data
    KYOSAI_ENV=development KYOSAI_HOME=/tmp/kyosai-demo .venv/bin/python benchmarks/web_bench.py
"""

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

GOAL_MS = 300
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "kyosai-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kyosai_command() -> list[str]:
    found = shutil.which("kyosai") or str(Path(sys.executable).parent / "kyosai")
    return [found]


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"サーバーが起動しませんでした（終了コード {server.returncode}）。")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("サーバーが時間内に起動しませんでした。")


def login(port: int, username: str) -> str:
    """The session and CSRF cookies of a logged-in demo user, as a Cookie header."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        sys.exit("ログイン画面に CSRF トークンがありません。")
    form = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                   "csrfmiddlewaretoken": token.group(1)})
    conn.request("POST", "/accounts/login/", body=form, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": _header(cookies)})
    response = conn.getresponse()
    response.read()
    cookies.update(_cookies(response))
    if response.status != 302 or "sessionid" not in cookies:
        sys.exit(f"{username} でログインできません（kyosai demo-data を実行しましたか）。")
    conn.close()
    return _header(cookies)


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    out = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            out[key.strip()] = rest.split(";", 1)[0]
    return out


def _header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def percentile(sorted_ns: list[int], pct: int) -> int:
    """Nearest-rank percentile of sorted integer timings."""
    rank = max(1, -(-pct * len(sorted_ns) // 100))
    return sorted_ns[rank - 1]


def run_page(port: int, path: str, cookie: str, clients: int, requests: int) -> list[int]:
    """Send `requests` GETs of `path` from `clients` threads; nanoseconds per request."""
    timings: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [requests]

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if remaining[0] == 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter_ns()
            try:
                conn.request("GET", path, headers={"Cookie": cookie})
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                with lock:
                    errors.append(str(exc))
                continue
            elapsed = time.perf_counter_ns() - start
            with lock:
                if response.status == 200:
                    timings.append(elapsed)
                else:
                    errors.append(f"HTTP {response.status}")
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  {path}: エラー {len(errors)} 件（例: {errors[0]}）")
    return sorted(timings)


def ms(ns: int) -> str:
    return f"{ns // 1_000_000}.{ns // 100_000 % 10}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--branch", default="13", help="branch code of the branch page")
    parser.add_argument("--as-of", default="", help="YYYY-MM (default: the latest month)")
    args = parser.parse_args()
    os.environ.setdefault("KYOSAI_ENV", "development")
    port = free_port()
    command = [*kyosai_command(), "serve", "--host", "127.0.0.1", "--port", str(port), "--quiet"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    server = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        wait_for(port, server)
        query = f"?as_of={args.as_of}" if args.as_of else ""
        pages = [("全国スコアカード", f"/scorecard/{query}", login(port, "hq")),
                 (f"県支部 {args.branch}", f"/branches/{args.branch}/{query}",
                  login(port, f"branch-{args.branch}"))]
        print(f"{args.clients} クライアント、各ページ {args.requests} リクエスト（loopback, gunicorn）")
        failed = False
        for name, path, cookie in pages:
            warm = run_page(port, path, cookie, 1, 1)
            timings = run_page(port, path, cookie, args.clients, args.requests)
            if not timings:
                print(f"{name} {path}: 応答がありません")
                failed = True
                continue
            p95 = percentile(timings, 95)
            verdict = "OK" if p95 < GOAL_MS * 1_000_000 else f"目標 {GOAL_MS} ms 未達"
            failed |= p95 >= GOAL_MS * 1_000_000
            print(f"{name:<12} {path:<24} n={len(timings):<4} 初回={ms(warm[0]) if warm else '-'} ms "
                  f"p50={ms(percentile(timings, 50))} ms p95={ms(p95)} ms "
                  f"max={ms(timings[-1])} ms  {verdict}")
        return 1 if failed else 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    sys.exit(main())
