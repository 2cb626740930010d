"""Helpers of the revert tests of the small datasets (kyosai.results.snapshots): every row of some
tables with every field, and `kyosai imports [revert]` run as a user would."""

import hashlib
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from kyosai.core import filestore
from kyosai.results.models import ImportLog


def rows_of(*tables: type[models.Model]) -> dict[str, list[dict[str, Any]]]:
    """Every row of each table, every field (ids and timestamps included), by id."""
    return {table._meta.label: list(table._default_manager.order_by("pk").values())
            for table in tables}


def imports() -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("imports", "--format", "json", stdout=out)
    listed: list[dict[str, Any]] = json.loads(out.getvalue())
    return listed


def last_import_id() -> int:
    return int(imports()[0]["id"])


def revert(log_id: int, *options: str) -> str:
    out = io.StringIO()
    call_command("imports_revert", str(log_id), *options, stdout=out)
    return out.getvalue()


def refused(log_id: int, *options: str) -> str:
    with pytest.raises(CommandError) as raised:
        revert(log_id, *options)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert "\n" not in message
    return message


def assert_file_kept(log_id: int, data: bytes) -> None:
    """The import's file is kept under KYOSAI_HOME by content, byte for byte."""
    log = ImportLog.objects.get(pk=log_id)
    assert log.sha256 == hashlib.sha256(data).hexdigest()
    assert filestore.path_for(log.sha256).read_bytes() == data
