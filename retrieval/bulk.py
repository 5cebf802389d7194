"""Building many long-lived objects at once without the cyclic garbage collector.

Loading a 100k-paper index creates millions of small objects (papers, sources,
chunks, dictionary entries). Each allocation burst triggers collections that rescan
everything already built, so the load grows superlinearly: the manifest of 100k
papers took 17 s with the collector on and 4.7 s with it off. None of these objects
form reference cycles worth collecting while they are built, so the collector is
paused for the build and resumed after it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bulk_objects() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block (reference counting still
    frees everything that is dropped); nested use is fine."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
