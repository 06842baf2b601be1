"""The shared cache's backend: what one process writes, another reads at once, even though
each remembers what it read."""

import time

import pytest

from entrevilles import filecache
from entrevilles.filecache import RememberingFileCache


def _two_processes(tmp_path):
    """Two caches on one folder, as two web workers have."""
    return RememberingFileCache(str(tmp_path), {}), RememberingFileCache(str(tmp_path), {})


@pytest.fixture
def settled_at_once(monkeypatch):
    # Files count as settled as soon as they are written, so that a read is remembered.
    monkeypatch.setattr(filecache, "SETTLED_SECONDS", 0)


def test_a_value_written_by_another_process_replaces_the_one_remembered(tmp_path, settled_at_once):
    first, second = _two_processes(tmp_path)
    first.set("menu", "old")
    assert second.get("menu") == "old"
    assert second.get("menu") == "old"  # from memory

    first.set("menu", "new")

    assert second.get("menu") == "new"


def test_an_entry_deleted_by_another_process_is_gone_for_this_one(tmp_path, settled_at_once):
    first, second = _two_processes(tmp_path)
    first.set("token", "abc")
    assert second.get("token") == "abc"

    first.delete("token")

    assert second.get("token", "missing") == "missing"


def test_a_changed_dictionary_does_not_change_the_next_read(tmp_path, settled_at_once):
    first, second = _two_processes(tmp_path)
    first.set("session", {"language": "fr"})
    read = second.get("session")
    read["language"] = "es"  # a session changed in a request, never saved

    assert second.get("session") == {"language": "fr"}
    assert second.get("session") is not second.get("session")


def test_an_expired_entry_is_not_read_from_memory(tmp_path, settled_at_once, monkeypatch):
    first, second = _two_processes(tmp_path)
    first.set("count", 42, timeout=60)
    assert second.get("count") == 42
    later = time.time() + 61
    monkeypatch.setattr(filecache.time, "time", lambda: later)

    assert second.get("count", "expired") == "expired"


def test_a_file_replaced_within_the_same_second_is_read_again(tmp_path):
    # Not settled yet, so not remembered: a value of the same size written right after
    # is the one read, whatever inode and times the file system gives it.
    first, second = _two_processes(tmp_path)
    first.set("state", "aaaa")
    assert second.get("state") == "aaaa"

    first.set("state", "bbbb")

    assert second.get("state") == "bbbb"


def test_many_entries_stay_within_the_memory_budget(tmp_path, settled_at_once, monkeypatch):
    monkeypatch.setattr(filecache, "MEMO_BYTES", 64 * 1024)
    first, second = _two_processes(tmp_path)
    for n in range(200):
        first.set(f"page-{n}", f"{n}:" + "x" * 2000)
    for n in range(200):
        assert second.get(f"page-{n}").startswith(f"{n}:")
    assert second._memo_bytes <= 64 * 1024
    assert second.get("page-0").startswith("0:")
