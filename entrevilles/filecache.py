"""The shared cache's default backend: Django's file-based cache, remembering in each
process what it read until the file changes.

Every process on the machine (both web workers, the background worker) shares the entries
through their files, so a change made by one is read by the next request of another. A
signed-in page reads about ten entries (the session, the person, the version token and the
value of each kept part), and each read opens a file, unpickles its expiry and decompresses
and unpickles its value. This backend keeps what it read with the identity of the file
(inode, modification and change times in nanoseconds, size): reading the same key again
costs one `stat` while the file is the same one.

A file changes only by being replaced (Django's `set` writes a new file and renames it over
the old one: a new inode, new times) or rewritten in place (`touch`: new times). A new file
could in principle take the inode freed by an old one within the same tick of the
file system's clock, with the same size; a file is therefore remembered only once its times
are older than `SETTLED_SECONDS`, which no later write can share. Expiry is checked on each
read, as Django does.

Values are handed out as Django does, a new object for each read, so that a caller that
changes what it read (a session's dictionary) changes nothing for the next: strings, bytes,
numbers and tuples of them are kept as they are, anything else as its pickle.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
import zlib
from collections import OrderedDict

from django.core.cache.backends.filebased import FileBasedCache

SETTLED_SECONDS = 1.0
# What a process keeps, at most (counted as the values' pickled sizes).
MEMO_BYTES = 16 * 1024 * 1024
_KEPT_AS_IS = (str, bytes, int, float, bool, type(None))


def _immutable(value) -> bool:
    if isinstance(value, _KEPT_AS_IS):
        return True
    return type(value) is tuple and all(isinstance(item, _KEPT_AS_IS) for item in value)


class RememberingFileCache(FileBasedCache):
    """FileBasedCache whose reads of an unchanged file cost a `stat` (see the module)."""

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._memo: OrderedDict[str, tuple] = OrderedDict()
        self._memo_bytes = 0
        self._files: dict[tuple[str, int | None], str] = {}
        self._lock = threading.Lock()

    def _key_to_file(self, key, version=None):
        # The key's checks and its hash once per key and version, not once per read.
        fname = self._files.get((key, version))
        if fname is None:
            if len(self._files) >= 20_000:
                self._files.clear()
            fname = self._files[(key, version)] = super()._key_to_file(key, version)
        return fname

    def get(self, key, default=None, version=None):
        fname = self._key_to_file(key, version)
        try:
            stat = os.stat(fname)
        except FileNotFoundError:
            self._forget(fname)
            return default
        identity = (stat.st_ino, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size)
        kept = self._memo.get(fname)
        if kept is not None and kept[0] == identity:
            _identity, expiry, value, pickled, _size = kept
            if expiry is None or expiry >= time.time():
                with self._lock:
                    if fname in self._memo:
                        self._memo.move_to_end(fname)
                return pickle.loads(value) if pickled else value  # noqa: S301 - our own cache files
        return self._read(fname, identity, stat, default)

    def _read(self, fname, identity, stat, default):
        try:
            with open(fname, "rb") as file:
                try:
                    expiry = pickle.load(file)  # noqa: S301 - our own cache files, as Django reads them
                except EOFError:
                    expiry = 0  # an empty file is expired, as for Django
                if expiry is not None and expiry < time.time():
                    file.close()
                    self._delete(fname)
                    self._forget(fname)
                    return default
                data = zlib.decompress(file.read())
        except FileNotFoundError:
            self._forget(fname)
            return default
        value = pickle.loads(data)  # noqa: S301 - our own cache files
        if time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) > SETTLED_SECONDS * 1e9:
            as_is = _immutable(value)
            self._keep(fname, (identity, expiry, value if as_is else data, not as_is, len(data)))
        return value

    def _keep(self, fname: str, entry: tuple) -> None:
        size = entry[4]  # the value's pickled size, about what it holds in memory
        if size > MEMO_BYTES // 8:
            return
        with self._lock:
            old = self._memo.pop(fname, None)
            if old is not None:
                self._memo_bytes -= old[4]
            self._memo[fname] = entry
            self._memo_bytes += size
            while self._memo_bytes > MEMO_BYTES and self._memo:
                _fname, dropped = self._memo.popitem(last=False)
                self._memo_bytes -= dropped[4]

    def _forget(self, fname: str) -> None:
        with self._lock:
            old = self._memo.pop(fname, None)
            if old is not None:
                self._memo_bytes -= old[4]
