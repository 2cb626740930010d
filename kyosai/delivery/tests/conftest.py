from kyosai.web.tests.conftest import background, federation  # noqa: F401  (the tiny federation + demo users; its page refreshes)
