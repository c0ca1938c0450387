"""Progress of a long build: a bar on a terminal, log lines otherwise."""
from __future__ import annotations

import logging
import sys
import time

log = logging.getLogger("kg")


class Progress:
    """A tqdm bar (articles/s, ETA) on a terminal; otherwise a log line every 10 s."""

    EVERY = 10.0

    def __init__(self, total: int, enabled: bool | None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.total, self.count = total, 0
        self.bar = None
        self.started = self.last = time.monotonic()

    def __enter__(self) -> "Progress":
        if self.enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=self.total, unit=" articles", desc="kg build", file=sys.stderr,
                            dynamic_ncols=True, smoothing=0.1)
        return self

    def __call__(self, n: int) -> None:
        self.count += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if now - self.last >= self.EVERY or self.count == self.total:
            self.last = now
            rate = self.count / max(now - self.started, 1e-9)
            left = (self.total - self.count) / rate if rate else 0
            log.info("%d/%d articles, %.1f articles/s, %s left", self.count, self.total, rate, _duration(left))

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.close()


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
