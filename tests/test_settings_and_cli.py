"""Configuration fails closed in production; the kyosai words map onto commands."""

import os
import subprocess
import sys

from kyosai.cli import command_argv


def run_settings(env):
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "KYOSAI_ENV")}
    return subprocess.run(
        [sys.executable, "-c", "import kyosai.settings"], env={**clean, **env},
        capture_output=True, text=True, check=False,
    )


def test_production_without_a_secret_key_refuses_to_start():
    result = run_settings({})
    assert result.returncode != 0
    assert "SECRET_KEY が設定されていません" in result.stderr


def test_production_refuses_debug():
    result = run_settings({"SECRET_KEY": "x" * 50, "KYOSAI_DEBUG": "true"})
    assert result.returncode != 0
    assert "KYOSAI_DEBUG must not be true in production" in result.stderr


def test_production_with_a_secret_key_starts():
    assert run_settings({"SECRET_KEY": "x" * 50}).returncode == 0


def test_development_needs_no_secret_key():
    assert run_settings({"KYOSAI_ENV": "development"}).returncode == 0


def test_kyosai_words_are_joined_into_command_names():
    known = {"import_targets", "plan_summary", "demo_data", "scorecard", "import_appendix"}
    assert command_argv(["import", "targets", "f.csv"], known) == ["import_targets", "f.csv"]
    assert command_argv(["plan", "summary", "--period", "2024H1"], known) == [
        "plan_summary", "--period", "2024H1"]
    assert command_argv(["demo-data", "--seed", "3"], known) == ["demo_data", "--seed", "3"]
    assert command_argv(["import", "appendix", "new_hires", "x.csv"], known) == [
        "import_appendix", "new_hires", "x.csv"]
    assert command_argv(["scorecard", "--input", "x"], known) == ["scorecard", "--input", "x"]
    assert command_argv([], known) == ["help"]
