"""The shared golden files' fixture, for the app's tests that compare with the report."""

from tests.conftest import golden_dir

__all__ = ["golden_dir"]
