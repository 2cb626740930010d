"""The web tests' tiny federation with the demo users (the audit pages and exports need them)."""

from kyosai.web.tests.conftest import federation, login

__all__ = ["federation", "login"]
