from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model

from kyosai.accounts.services import create_demo_users
from kyosai.web import cache as web_cache
from kyosai.web.cache import clear as clear_cache
from kyosai.web.cache import forget_version
from kyosai.web.tests.federation import build


class Background:
    """The page refreshes `kyosai.web.cache` would run in its thread, held here and run on
    demand in the test's own thread (whose transaction holds the test data)."""

    def __init__(self) -> None:
        self.tasks: list[Callable[[], None]] = []

    def run(self) -> int:
        ran = 0
        while self.tasks:
            self.tasks.pop(0)()
            ran += 1
        forget_version()
        return ran


@pytest.fixture
def background(monkeypatch, settings, tmp_path):
    settings.KYOSAI_LOCK_DIR = tmp_path / "locks"  # a test's held claims end with it
    held = Background()
    monkeypatch.setattr(web_cache, "run_in_background", held.tasks.append)
    return held


@pytest.fixture
def federation(db, settings, background):
    """The tiny federation with the demo users; the page cache on and empty for each test."""
    settings.KYOSAI_WEB_CACHE = True
    clear_cache()
    unions = build()
    create_demo_users()
    forget_version()
    yield unions
    clear_cache()
    forget_version()


@pytest.fixture
def login(client):
    def as_user(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client
    return as_user
