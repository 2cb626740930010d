"""The test world of the permission matrix and the bad-input tests."""

import pytest

from kyosai.web.cache import clear as clear_cache
from tests.permissions.world import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.KYOSAI_HOME = str(tmp_path / "home")
    clear_cache()
    yield build_world(tmp_path / "media")
    clear_cache()
