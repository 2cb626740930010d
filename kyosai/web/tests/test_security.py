import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def production_env(tmp_path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items()
             if k not in ("KYOSAI_ENV", "SECRET_KEY", "KYOSAI_DEBUG", "DJANGO_SETTINGS_MODULE",
                          "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL")}
    return {**clean, "KYOSAI_ENV": "production", "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "kyosai.example.org", "KYOSAI_HOME": str(tmp_path),
            "KYOSAI_PERSONAL_DATA_RETENTION_DAYS": "1825"}


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    code = ("import json, django; from django.conf import settings as s; "
            "print(json.dumps([s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SESSION_COOKIE_HTTPONLY, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.DEBUG]))")
    env = {**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "kyosai.settings"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=True)
    secure, csrf_secure, httponly, hsts, redirect, debug = json.loads(result.stdout)
    assert secure
    assert csrf_secure
    assert httponly
    assert hsts >= 31536000
    assert redirect
    assert not debug


@pytest.mark.django_db
def test_the_login_form_needs_its_csrf_token():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "hq", "password": "x"})
    assert response.status_code == 403
    page = client.get("/accounts/login/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


@pytest.mark.django_db
def test_a_bad_month_is_a_400_in_japanese(federation, login):
    response = login("hq").get("/scorecard/", {"as_of": "2024-13"})
    assert response.status_code == 400
    assert "YYYY-MM" in response.content.decode()


@pytest.mark.django_db
def test_a_refused_page_is_a_japanese_404_without_data(federation, login):
    response = login("branch-14").get("/branches/01/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "ページが見つかりません" in text
    assert "北海道" not in text
