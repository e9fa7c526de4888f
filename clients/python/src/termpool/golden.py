"""Golden screens: the screen must equal a committed text file, with a unified diff on failure.

``assert_screen(session, "golden/menu.txt")`` reads the session's screen (text by default; ``ansi``
keeps colours and attributes as escape sequences) and compares it with the file. A mismatch, or a
missing file, fails with an AssertionError — CI-safe: nothing is written unless updating is asked
for, by ``update=True``, the environment variable ``TERMPOOL_UPDATE_GOLDEN=1``, or the pytest
plugin's ``--termpool-update-golden`` flag. When updating, a missing or different file is
(re)written and the assertion passes.
"""
from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any, Optional, Sequence, Union

#: Set by the pytest plugin's --termpool-update-golden; the environment variable works anywhere.
update_default = False

PathLike = Union[str, "os.PathLike[str]"]


def updating(update: Optional[bool] = None) -> bool:
    """Whether golden files are being (re)written: ``update`` if given, else the flag or the env var."""
    if update is not None:
        return update
    return update_default or os.environ.get("TERMPOOL_UPDATE_GOLDEN", "") not in ("", "0", "false", "no")


def screen_text(source: Any, format: str = "text", stable_ms: Optional[int] = None) -> str:
    """The text to compare: a Session's screen (after ``stable_ms`` without output, when given), a
    string, or a sequence of lines. The golden text format, the same as termpool/testing's
    ``toMatchScreen`` writes (so one golden file serves both): one line per row, trailing spaces
    trimmed, trailing blank rows dropped, ending in exactly one newline; CRLF becomes LF. Other
    formats (``ansi``) are kept as they are, but for the newlines."""
    if hasattr(source, "screen") and hasattr(source, "wait"):
        if stable_ms is not None:
            source.wait(stable_ms=stable_ms, timeout_ms=max(10_000, stable_ms * 4))
        text = source.screen(format=format)
    elif isinstance(source, str):
        text = source
    elif isinstance(source, Sequence):
        text = "\n".join(source)
    else:
        raise TypeError(f"assert_screen takes a Session, a str or a list of lines, not {type(source).__name__}")
    text = text.replace("\r\n", "\n")
    if format != "text":
        return normalize(text)
    lines = [line.rstrip(" ") for line in text.split("\n")]
    while len(lines) > 1 and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


def normalize(text: str) -> str:
    """A golden file's contents as compared: CRLF read as LF, ending in exactly one newline."""
    return text.replace("\r\n", "\n").rstrip("\n") + "\n"


def assert_screen(source: Any, path: PathLike, *, update: Optional[bool] = None, format: str = "text",
                  stable_ms: Optional[int] = None) -> None:
    """Asserts that ``source`` (a Session, a screen's text, or its lines) equals the golden file at
    ``path``. On a mismatch raises AssertionError with a unified diff (``-`` golden, ``+`` actual);
    with updating on, writes the file instead (creating its directory)."""
    p = Path(path)
    actual = screen_text(source, format, stable_ms)
    if updating(update):
        if not p.exists() or normalize(p.read_text(encoding="utf-8")) != actual:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(actual, encoding="utf-8")
        return
    hint = "rerun with --termpool-update-golden (or TERMPOOL_UPDATE_GOLDEN=1) to accept the screen as it is"
    if not p.exists():
        raise AssertionError(f"golden screen {p} does not exist; {hint}. The screen was:\n{actual}")
    expected = normalize(p.read_text(encoding="utf-8"))
    if expected == actual:
        return
    diff = difflib.unified_diff(expected.splitlines(), actual.splitlines(), fromfile=f"{p} (golden)",
                                tofile="screen (actual)", lineterm="")
    raise AssertionError(f"screen differs from golden {p}; {hint}\n" + "\n".join(diff))
