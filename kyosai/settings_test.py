"""Settings for the test suite: the same module, read with KYOSAI_ENV=test."""

import os

os.environ["KYOSAI_ENV"] = "test"

from kyosai.settings import *  # noqa: F403
