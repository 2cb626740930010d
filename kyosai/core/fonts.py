"""The Japanese font every output uses: IPAex Gothic, shipped inside the PyPI package matplotlib-fontja.

No system font is needed: the PDF report embeds it and the web pages serve it as a static file.
"""

from importlib.util import find_spec
from pathlib import Path

__all__ = ["FONT_FILE", "font_dir", "font_path"]

FONT_FILE = "ipaexg.ttf"


def font_dir() -> Path:
    """The package's fonts folder, found without importing matplotlib."""
    spec = find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("matplotlib-fontja がインストールされていません（日本語フォント）")
    return Path(next(iter(spec.submodule_search_locations))).resolve() / "fonts"


def font_path() -> Path:
    """IPAex Gothic's .ttf file."""
    path = font_dir() / FONT_FILE
    if not path.is_file():
        raise FileNotFoundError(f"日本語フォントが見つかりません: {path}")
    return path
