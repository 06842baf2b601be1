"""Backing up and restoring a whole installation, on SQLite and PostgreSQL alike.

A backup is one .tar.gz file:

- `manifest.json`: when and from which database it was made, and the applied migrations;
- `data.jsonl`: every row people and the platform wrote (Django's `dumpdata`, JSON Lines,
  read back line by line), whatever the database: a SQLite backup restores into
  PostgreSQL and back;
- `media/`: every uploaded file.

What can be computed again is left out and rebuilt after a restore: the search index, the
matching index of experiences and needs, and any semantic vectors (DERIVED_COMMANDS).
Left out as well: sessions (everyone signs in again), the task queue and the workers'
heartbeats (a circular being sent is resumed by the workers on their own).
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command, get_commands
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "entrevilles-backup-1"

# Rows that are not kept: computed again after a restore, or of no use in another run.
EXCLUDED_MODELS = [
    "sessions.Session",
    "django_tasks_database.DBTaskResult",
    "ops.WorkerHeartbeat",
    "search.SearchEntry",
    "search.SearchFacet",
    "learning.ExperienceConcept",
    "learning.NeedConcept",
    "learning.ConceptFrequency",
]

# Management commands that rebuild derived data after a restore: the search index, then
# the semantic vectors of experiences and needs (VECTOR_COMMANDS: the first of these names
# that this installation has; the hook to name a new rebuild command in).
SEARCH_COMMAND = "reindex_search"
VECTOR_COMMANDS = ["rebuild_vectors"]


class BackupError(Exception):
    """A file that is not a backup of this platform, or a restore that cannot go on."""


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def create_backup(path: Path, *, progress: Callable[[str], None] = lambda message: None) -> dict:
    """Write a backup of the database and the uploaded files to `path` (.tar.gz)."""
    path = Path(path)
    recorder = MigrationRecorder(connection)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(),
        "database": connection.vendor,
        "migrations": sorted(f"{app}.{name}" for app, name in recorder.applied_migrations()),
    }
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data.jsonl"
        progress("Writing the database rows…")
        call_command(
            "dumpdata",
            format="jsonl",
            exclude=EXCLUDED_MODELS,
            use_base_manager=True,
            output=str(data),
            verbosity=0,
        )
        manifest_file = Path(folder) / "manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2))
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".partial")
        progress("Packing the rows and the uploaded files…")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(manifest_file, arcname="manifest.json")
            archive.add(data, arcname="data.jsonl")
            media = _media_root()
            if media.is_dir():
                archive.add(media, arcname="media", filter=_files_and_folders)
        # Renamed only once whole: a backup cut short never looks like a good one.
        partial.replace(path)
    return manifest


def _files_and_folders(member: tarfile.TarInfo) -> tarfile.TarInfo | None:
    return member if member.isfile() or member.isdir() else None  # no links, no devices


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.load(archive.extractfile("manifest.json"))
    except (OSError, tarfile.TarError, KeyError, ValueError, AttributeError) as error:
        raise BackupError(f"{path} is not a backup of this platform ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not a backup of this platform (unknown format).")
    return manifest


def restore_backup(path: Path, *, progress: Callable[[str], None] = lambda message: None) -> dict:
    """Replace everything in the database and the media folder by the backup in `path`,
    then rebuild the derived data. Run it with the web processes and workers stopped."""
    path = Path(path)
    manifest = read_manifest(path)
    with tempfile.TemporaryDirectory() as folder, tarfile.open(path, "r:gz") as archive:
        # The "data" filter refuses absolute paths, links out of the folder and devices.
        archive.extractall(folder, filter="data")
        unpacked = Path(folder)
        progress("Bringing the database schema up to date…")
        call_command("migrate", interactive=False, verbosity=0)
        progress("Emptying the database…")
        # The content types and permissions come from the backup, with their ids.
        call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
        _empty_sqlite_fulltext()
        progress("Loading the rows…")
        call_command("loaddata", str(unpacked / "data.jsonl"), verbosity=0)
        # Content types and permissions of models newer than the backup.
        call_command("migrate", interactive=False, verbosity=0)
        progress("Putting back the uploaded files…")
        _replace_media(unpacked / "media")
    # What the caches hold was built from the rows replaced: pages and fragments kept,
    # people's roles and unread counts, and the sessions (the backup leaves them out,
    # so everyone signs in again).
    for alias in settings.CACHES:
        caches[alias].clear()
    loaded = datetime.now(UTC)
    rebuild_derived_data(progress=progress)
    _drop_redundant_reindex_tasks(queued_before=loaded)
    return manifest


def _empty_sqlite_fulltext() -> None:
    """SQLite's full-text table is not a model, so `flush` leaves its rows: cleared here,
    the search index is rebuilt afterwards. (On PostgreSQL the text vectors live in the
    search entries' own table, which flush empties.)"""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_fts'")
        if cursor.fetchone():
            cursor.execute("DELETE FROM search_fts")


def _replace_media(source: Path) -> None:
    media = _media_root()
    media.mkdir(parents=True, exist_ok=True)
    for child in media.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if source.is_dir():
        shutil.copytree(source, media, dirs_exist_ok=True)


def rebuild_derived_data(*, progress: Callable[[str], None] = lambda message: None) -> list[str]:
    """Rebuild the search index, the matching index and the semantic vectors; returns the
    commands run."""
    from learning.matching import index

    available = get_commands()
    commands = [SEARCH_COMMAND] + [name for name in VECTOR_COMMANDS if name in available][:1]
    for name in commands:
        progress(f"Rebuilding: manage.py {name}…")
        call_command(name, stdout=_Discard())
    progress("Rebuilding the matching index of experiences and needs…")
    index.rebuild()
    return commands


def _drop_redundant_reindex_tasks(queued_before: datetime) -> None:
    """Loading the rows queued one re-indexing task per object; the index was rebuilt
    whole since, so they would only do the same work again."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(
        status="READY", task_path__startswith="search.tasks.", enqueued_at__lte=queued_before
    ).delete()


class _Discard:
    def write(self, text: str) -> None:
        pass

    def flush(self) -> None:
        pass
