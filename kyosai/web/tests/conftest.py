import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from kyosai.accounts.services import create_demo_users
from kyosai.web.cache import forget_version
from kyosai.web.tests.federation import build


@pytest.fixture
def federation(db, settings):
    """The tiny federation with the demo users; the page cache on and empty for each test."""
    settings.KYOSAI_WEB_CACHE = True
    cache.clear()
    unions = build()
    create_demo_users()
    forget_version()
    yield unions
    cache.clear()
    forget_version()


@pytest.fixture
def login(client):
    def as_user(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client
    return as_user
