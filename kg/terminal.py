"""Text for a person's terminal: data (titles, paths, server messages) made harmless.

An article title can carry terminal control sequences (``ESC ] 0 ; ... BEL`` retitles the
window, ``ESC [2J`` clears the screen); printed raw, they act instead of being read. Every
line kg prints for humans (tables, log lines, errors) goes through ``printable``; the
machine formats (CSV, TSV, JSON, RDF) keep the data exact.
"""
from __future__ import annotations

import re

# C0 controls but tab and line feed, DEL, and C1 controls (Unicode general category Cc;
# ECMA-48 section 5 defines both control sets, C1 as 0x80-0x9F).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _escape(m: re.Match) -> str:
    return f"\\x{ord(m.group()):02x}"


def printable(text: str) -> str:
    r"""``text`` with each control character but tab and newline written as ``\xNN``."""
    return _CONTROL.sub(_escape, text)
