"""Configuration fails closed in production; the kyosai words map onto commands."""

import os
import subprocess
import sys

import pytest

from kyosai.cli import DEFAULT_GROUP, Entry, command_words, main_help, resolve, suggest, summary_of


def run_settings(env, code="import kyosai.settings"):
    clean = {k: v for k, v in os.environ.items()
             if k not in ("SECRET_KEY", "SECRET_KEY_FILE", "KYOSAI_ENV", "KYOSAI_DEBUG")}
    return subprocess.run(
        [sys.executable, "-c", code], env={**clean, **env},
        capture_output=True, text=True, check=False,
    )


def test_production_without_a_secret_key_starts_and_reads_no_key_until_one_is_needed(tmp_path):
    result = run_settings({"KYOSAI_HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "home").exists()


def test_production_generates_the_key_on_first_use_and_reads_it_back(tmp_path):
    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kyosai.settings'; "
            "import django; django.setup(); from django.conf import settings; "
            "print(len(str(settings.SECRET_KEY)))")
    first = run_settings({"KYOSAI_HOME": str(tmp_path)}, code)
    assert first.returncode == 0, first.stderr
    key = (tmp_path / "secret_key").read_text().strip()
    assert first.stdout.strip() == str(len(key))
    assert key not in first.stdout
    assert run_settings({"KYOSAI_HOME": str(tmp_path)}, code).returncode == 0
    assert (tmp_path / "secret_key").read_text().strip() == key


def test_production_refuses_debug():
    result = run_settings({"SECRET_KEY": "x" * 50, "KYOSAI_DEBUG": "true"})
    assert result.returncode != 0
    assert "KYOSAI_DEBUG を有効にできません" in result.stderr


def test_production_with_a_secret_key_starts():
    assert run_settings({"SECRET_KEY": "x" * 50}).returncode == 0


def test_development_needs_no_secret_key(tmp_path):
    assert run_settings({"KYOSAI_ENV": "development", "KYOSAI_HOME": str(tmp_path)}).returncode == 0


RETENTION = ("import os; os.environ['DJANGO_SETTINGS_MODULE'] = 'kyosai.settings'; "
             "from django.conf import settings; print(settings.KYOSAI_PERSONAL_DATA_RETENTION_DAYS)")


@pytest.mark.parametrize(("value", "shown"), [("", "None"), ("1825", "1825"), ("1_825", "1825"),
                                              ("1", "1"), ("36500", "36500")])
def test_the_retention_is_a_number_of_days_or_unset(tmp_path, value, shown):
    result = run_settings({"KYOSAI_HOME": str(tmp_path), "SECRET_KEY": "x" * 50,
                           "KYOSAI_PERSONAL_DATA_RETENTION_DAYS": value}, RETENTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


@pytest.mark.parametrize("value", ["0", "-30", "5年", "1.5", "36501"])
def test_a_bad_retention_is_a_configuration_error_in_japanese(tmp_path, value):
    result = run_settings({"KYOSAI_HOME": str(tmp_path), "SECRET_KEY": "x" * 50,
                           "KYOSAI_PERSONAL_DATA_RETENTION_DAYS": value}, RETENTION)
    assert result.returncode != 0
    last = result.stderr.strip().splitlines()[-1]
    assert "KYOSAI_PERSONAL_DATA_RETENTION_DAYS" in last
    assert "整数を指定してください" in last


KNOWN = {"import_targets", "import_results", "import_appendix", "plan_summary", "plan_carry_over",
         "plan_export", "demo_data", "scorecard", "imports", "appendix"}


def test_kyosai_words_are_joined_into_command_names():
    assert resolve(["import", "targets", "f.csv"], KNOWN) == ("import_targets", 2)
    assert resolve(["plan", "summary", "--period", "2024H1"], KNOWN) == ("plan_summary", 2)
    assert resolve(["plan", "carry-over"], KNOWN) == ("plan_carry_over", 2)
    assert resolve(["demo-data", "--seed", "3"], KNOWN) == ("demo_data", 1)
    assert resolve(["import", "appendix", "new_hires", "x.csv"], KNOWN) == ("import_appendix", 2)
    assert resolve(["appendix", "new_hires"], KNOWN) == ("appendix", 1)
    assert resolve(["scorecard", "--input", "x"], KNOWN) == ("scorecard", 1)
    assert resolve(["import", "--help"], KNOWN) == (None, 0)
    assert resolve([], KNOWN) == (None, 0)


def test_commands_are_shown_in_words_a_shared_first_word_makes_a_group():
    words = command_words(KNOWN)
    assert words["import_targets"] == "import targets"
    assert words["plan_carry_over"] == "plan carry-over"
    assert words["demo_data"] == "demo-data"  # no other demo_… command: one word
    assert words["imports"] == "imports"


def test_the_listing_groups_by_kyosai_group_and_puts_commands_without_one_under_operations():
    entries = {
        "import_targets": Entry("import_targets", "import targets", "データ取込", "目標を取り込みます。"),
        "plan_summary": Entry("plan_summary", "plan summary", "計画", "集計します。"),
        "tidy": Entry("tidy", "tidy", summary="片付けます。"),
        "odd": Entry("odd", "odd", "未知の群", "新しい群です。"),
    }
    text = main_help(entries)
    assert entries["tidy"].group == DEFAULT_GROUP
    assert (text.index("データ取込:") < text.index("import targets") < text.index("計画:")
            < text.index("plan summary") < text.index("運用:") < text.index("tidy")
            < text.index("未知の群:") < text.index("odd"))


def test_the_summary_is_the_first_sentence_of_the_first_line():
    assert summary_of("目標を取り込みます。同じキーは置き換えます。\n詳細") == "目標を取り込みます。"
    assert summary_of("") == ""


def test_the_nearest_command_is_suggested_and_nonsense_gets_none():
    forms = ["import targets", "import results", "scorecard", "demo-data", "import"]
    assert suggest(["imprt", "targets"], forms) == "import targets"
    assert suggest(["scorcard"], forms) == "scorecard"
    assert suggest(["zzzzzz"], forms) is None


def test_a_configuration_error_is_reported_by_its_first_line_or_its_class_name():
    from django.core.exceptions import ImproperlyConfigured
    from django.db import utils

    from kyosai.cli import configuration_problem

    assert configuration_problem(ImproperlyConfigured("  SECRET_KEY がありません\n詳細\n")) == (
        "設定エラー: SECRET_KEY がありません")
    assert configuration_problem(ImproperlyConfigured("")) == "設定エラー: ImproperlyConfigured"
    # The other branches read the whole message again (not its lines).
    missing = configuration_problem(utils.OperationalError("no such TABLE: org_branch\nmore"))
    assert missing is not None
    assert "kyosai init" in missing
    assert configuration_problem(ValueError("bug")) is None
