"""Trace and event ids: 128 random bits as 32 hex characters.

A private generator seeded from os.urandom, so an app calling random.seed() can't make ids repeat, reseeded in a forked
child so parent and child never share a sequence. (uuid4() costs ~5 µs here; this ~0.3 µs.)
"""

import os
import random

_random = random.Random(os.urandom(32))
_bits = _random.getrandbits


def new_id() -> str:
    """A fresh 32-hex-character id."""
    return "%032x" % _bits(128)


def reseed() -> None:
    """Called in a forked child: never continue the parent's sequence."""
    _random.seed(os.urandom(32))
