"""Demo data (and the published demo password) never in production."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from kyosai.accounts.services import (
    DEMO_PASSWORD,
    DemoRefused,
    create_demo_users,
    create_user,
)
from kyosai.org.services import load_organisation
from kyosai.results.models import MonthlyResult

ROOT = Path(__file__).resolve().parents[3]
User = get_user_model()


@pytest.fixture
def production(settings):
    settings.KYOSAI_ENV = "production"


@pytest.mark.django_db
def test_demo_data_refuses_in_production_with_exit_2_and_writes_nothing(production):
    load_organisation()
    with pytest.raises(CommandError, match="KYOSAI_ENV=production") as error:
        call_command("demo_data", "--unions", "60")
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)
    assert not User.objects.exists()
    assert not MonthlyResult.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_demo_users_in_production_whoever_calls_it(production):
    load_organisation()
    with pytest.raises(DemoRefused, match="開発・テスト環境"):
        create_demo_users()
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_password_is_refused_for_any_user_in_production(production):
    with pytest.raises(DemoRefused, match=DEMO_PASSWORD):
        create_user("hq", "hq_admin", password=DEMO_PASSWORD, validate=False)
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("env", ["development", "test"])
def test_development_and_test_may_create_the_demo_users(settings, env):
    settings.KYOSAI_ENV = env
    load_organisation()
    create_demo_users()
    assert User.objects.get(username="hq").check_password(DEMO_PASSWORD)


def test_the_command_line_refuses_in_production_before_touching_anything(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("KYOSAI_ENV", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update({"SECRET_KEY": secrets.token_urlsafe(50), "KYOSAI_HOME": str(tmp_path),
                "ALLOWED_HOSTS": "kyosai.example.org"})
    result = subprocess.run([str(Path(sys.executable).parent / "kyosai"), "demo-data"], cwd=ROOT, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "デモデータは開発・テスト環境" in lines[0]
