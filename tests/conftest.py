"""Shared fixtures: where the shared golden files live."""

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GOLDEN = SHARED / "golden"


@pytest.fixture(scope="session")
def golden_dir() -> Path:
    if not GOLDEN.is_dir():
        pytest.fail(f"../shared/golden が見つかりません: {GOLDEN}")
    return GOLDEN
