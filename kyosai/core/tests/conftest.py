"""The web tests' tiny federation with the demo users (the audit pages and exports need them)."""

from kyosai.web.tests.conftest import background, federation, login

__all__ = ["background", "federation", "login"]
