from kyosai.web.tests.conftest import federation  # noqa: F401  (the tiny federation + demo users)
