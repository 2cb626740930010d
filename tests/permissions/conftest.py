"""The test world of the permission matrix and the bad-input tests."""

import pytest
from django.core.cache import cache

from tests.permissions.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KYOSAI_HOME = str(tmp_path / "home")
    cache.clear()
    yield build_world(tmp_path / "media")
    cache.clear()
