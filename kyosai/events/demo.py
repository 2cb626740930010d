"""Demo data for HQ's events: the 2024H1 report's 資料編 Ⅱ–Ⅳ, as transcribed in data/."""

from kyosai.events.files import load_event_file
from kyosai.events.services import DEFAULT_DATA, import_events

__all__ = ["load_demo"]


def load_demo() -> str:
    """Import the bundled transcription (idempotent, logged as a demo load) and say what was
    done, in Japanese."""
    return import_events(load_event_file(DEFAULT_DATA), demo=True).message()
