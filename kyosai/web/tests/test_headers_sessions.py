"""A strict Content-Security-Policy on every response, no inline script or style anywhere, sessions
that end after 8 idle hours and at browser close, HSTS extras and the proxy SSL header only when
configured."""

import json
import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kyosai.accounts.services import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[3]
#: Standalone HTML printed by WeasyPrint (the report; the プレ印字申込書): never served as a page.
STANDALONE = {"reports/templates/reports/report.html"}
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+=|javascript:", re.I)


def directives(header: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/scorecard/", "/branches/14/", "/reports/",
                                 "/audit/", "/admin/", "/nowhere/"])
def test_every_response_carries_a_policy_that_allows_only_this_host(federation, login, url):
    response = login("hq").get(url)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]
    for name in ("script-src", "style-src", "img-src", "font-src", "connect-src", "form-action"):
        assert "'self'" in policy[name]
        assert "'unsafe-inline'" not in policy[name]
        assert "'unsafe-eval'" not in policy[name]
        assert not [source for source in policy[name] if source.startswith(("http", "*"))]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]


def test_no_template_has_inline_script_style_or_event_handlers():
    offenders = []
    for path in sorted((ROOT / "kyosai").rglob("templates/**/*.html")):
        relative = str(path.relative_to(ROOT / "kyosai"))
        if relative in STANDALONE:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if INLINE.search(line):
                offenders.append(f"{relative}:{number}")
    assert offenders == []


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/scorecard/", "/groups/total/", "/branches/14/",
                                 "/unions/14001/", "/reports/", "/audit/", "/plans/",
                                 "/events/", "/activities/"])
def test_rendered_pages_have_no_inline_script_or_style(federation, login, url):
    response = login("hq").get(url)
    assert response.status_code == 200
    assert INLINE.findall(response.content.decode()) == []


# --- sessions --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_session_cookie_ends_with_the_browser(federation, client):
    response = client.post("/accounts/login/", {"username": "hq", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == ""
    assert cookie["expires"] == ""
    assert cookie["httponly"]


@pytest.mark.django_db
def test_a_session_ends_after_eight_idle_hours_and_each_request_pushes_it_back(federation,
                                                                               client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"username": "hq", "password": DEMO_PASSWORD})
    with time_machine.travel(start + timedelta(hours=7, minutes=59), tick=False):
        assert client.get("/scorecard/").status_code == 200  # active: the limit moves on
    with time_machine.travel(start + timedelta(hours=15, minutes=58), tick=False):
        assert client.get("/scorecard/").status_code == 200
    with time_machine.travel(start + timedelta(hours=23, minutes=59), tick=False):
        response = client.get("/scorecard/")  # 8 h 1 min idle
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_idle_limit_moves_at_most_once_a_minute(federation, client):
    from django.contrib.sessions.models import Session

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.post("/accounts/login/", {"username": "hq", "password": DEMO_PASSWORD})
    key = client.cookies["sessionid"].value

    def expiry():
        return Session.objects.get(session_key=key).expire_date

    assert expiry() == start + timedelta(hours=8)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        client.get("/scorecard/")
    assert expiry() == start + timedelta(hours=8)  # no write for a request within the minute
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        client.get("/scorecard/")
    assert expiry() == start + timedelta(seconds=61, hours=8)


# --- HSTS and the proxy SSL header ------------------------------------------------------------------

def production(tmp_path, **extra: str) -> list[object]:
    code = ("import json, django; from django.conf import settings as s; "
            "print(json.dumps([s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
            "s.SECURE_HSTS_PRELOAD, s.SECURE_PROXY_SSL_HEADER, s.SESSION_COOKIE_AGE, "
            "s.SESSION_EXPIRE_AT_BROWSER_CLOSE]))")
    env = {k: v for k, v in os.environ.items()
           if k not in ("KYOSAI_ENV", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"KYOSAI_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(50),
                "KYOSAI_HOME": str(tmp_path), "DJANGO_SETTINGS_MODULE": "kyosai.settings", **extra})
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr
    values: list[object] = json.loads(result.stdout)  # the settings printed above, in order
    return values


def test_production_has_hsts_but_neither_subdomains_preload_nor_a_proxy_header_by_default(
        tmp_path):
    seconds, subdomains, preload, proxy_header, age, at_close = production(tmp_path)
    assert seconds == 31536000
    assert (subdomains, preload, proxy_header) == (False, False, None)
    assert (age, at_close) == (8 * 3600, True)


def test_production_turns_them_on_when_configured(tmp_path):
    _, subdomains, preload, proxy_header, _, _ = production(
        tmp_path, SECURE_HSTS_INCLUDE_SUBDOMAINS="true", SECURE_HSTS_PRELOAD="true",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert (subdomains, preload) == (True, True)
    assert proxy_header == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_a_bad_trusted_proxy_setting_refuses_to_start(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update({"KYOSAI_ENV": "development", "KYOSAI_TRUSTED_PROXIES": "10.0.0.1,proxy.local"})
    result = subprocess.run([sys.executable, "-c", "import kyosai.settings"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "proxy.local" in result.stderr


@pytest.mark.django_db
def test_the_hsts_header_names_subdomains_and_preload_only_when_set(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = False
    settings.SECURE_HSTS_PRELOAD = False
    plain = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert plain["Strict-Transport-Security"] == "max-age=31536000"
    assert "Strict-Transport-Security" not in client.get("/accounts/login/")  # plain http
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    full = Client().get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")  # a new handler
    assert full["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
