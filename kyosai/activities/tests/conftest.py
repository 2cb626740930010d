"""The report's tables (tests/fixtures, the shipped 資料編 copies) for the app's tests."""

from tests.conftest import appendix_dir, golden_dir

__all__ = ["appendix_dir", "golden_dir"]
