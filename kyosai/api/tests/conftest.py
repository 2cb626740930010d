import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from kyosai.api.tokens import create_token
from kyosai.web.tests.conftest import background, federation  # noqa: F401  (the tiny federation + demo users; its page refreshes)


@pytest.fixture
def api():
    """An APIClient authenticating with a fresh token of the named user (None: anonymous)."""
    def as_user(username):
        client = APIClient()
        if username is not None:
            user = get_user_model().objects.get(username=username)
            _, raw = create_token(user, name="test")
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return client
    return as_user
