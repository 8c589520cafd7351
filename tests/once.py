"""What the processes of a test run build once and share (pytest-xdist runs several)."""

from __future__ import annotations

import fcntl
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def once(stored: Path, build: Callable[[], T]) -> tuple[T, bool]:
    """What `build` returns, built by one process of the run and kept in `stored` (pickled)
    for the others, which wait for it; and whether this process built it."""
    with stored.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            return pickle.loads(stored.read_bytes()), False  # type: ignore[no-any-return]
        built = build()
        stored.with_suffix(".tmp").write_bytes(pickle.dumps(built))
        stored.with_suffix(".tmp").rename(stored)
        return built, True
