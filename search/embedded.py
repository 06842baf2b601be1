"""The vectors of searchable objects, written by the background worker: each entry's text
(and, for the types quoted in matchmaking, its sentences) embedded after the transaction
that wrote it commits, never in a web request; stored compactly with the model's name and
version, so that a change of model embeds again. `semantic` holds them in each process and
compares them."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import F

from . import embedding
from .models import SearchEntry, SemanticVector, SemanticVectorChanges

# What the search embeds; organisations and commissions are found by their names.
SEMANTIC_TYPES = ("experience", "document", "need", "meeting", "action")
# Types whose sentences are embedded too, to quote the one closest to a need.
QUOTED_TYPES = ("experience",)
BATCH = 16
MAX_SENTENCES = 12

SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[\"«¿¡(\w])")


def sentences_of(text: str) -> list[str]:
    """The sentences worth quoting of a text: four words or more, at most MAX_SENTENCES."""
    found = []
    for part in SENTENCE_END.split(" ".join(text.split())):
        part = part.strip()
        if len(part.split()) >= 4:
            found.append(part[:400])
        if len(found) == MAX_SENTENCES:
            break
    return found


# --- embedding (the worker) ---------------------------------------------------------------


@dataclass
class Source:
    object_id: int
    language: str
    text: str
    quotable: str = ""


def _sources(object_type: str, object_ids: list[int]) -> list[Source]:
    """What to embed of these objects: their entry's text in the original language."""
    from . import registry

    builder = registry.batch_builder_for(object_type)
    if builder is not None:
        return [
            Source(data.object_id, data.original_language, *data.semantic_texts())
            for data in builder(list(object_ids))
        ]
    sources = []
    for entry in SearchEntry.objects.filter(object_type=object_type, object_id__in=object_ids):
        code = entry.original_language
        title = entry.titles.get(code) or next(iter(entry.titles.values()), "")
        summary = entry.summaries.get(code) or ""
        sources.append(Source(entry.object_id, code, f"{title}\n{summary}".strip()))
    return sources


def _pack(matrix: np.ndarray) -> bytes:
    return np.asarray(matrix, dtype=np.float16).tobytes()


def unpack(data, dimensions: int) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32).reshape(-1, dimensions)


def quantised(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(int8 rows, a float32 scale per row): each row divided by its largest value and
    brought to −127…127, so that row × scale is the vector again, to within half a step."""
    matrix = np.asarray(matrix, dtype=np.float32).reshape(len(matrix), -1)
    scales = np.abs(matrix).max(axis=1, initial=0.0) / 127
    scales[scales == 0] = 1.0
    codes = np.rint(matrix / scales[:, None]).astype(np.int8)
    return codes, scales.astype(np.float32)


def embed_objects(object_type: str, object_ids: Iterable[int], *, force: bool = False) -> int:
    """Embed those of these objects whose text (or the model) changed; returns how many.

    Objects that left the search lose their vector. Safe to run any number of times and
    by several workers at once."""
    if object_type not in SEMANTIC_TYPES:
        return 0
    model = embedding.current_model()
    label = f"{model.name}@{model.version}"
    object_ids = list(dict.fromkeys(int(i) for i in object_ids))
    done = 0
    for start in range(0, len(object_ids), 200):
        chunk = object_ids[start : start + 200]
        sources = [s for s in _sources(object_type, chunk) if s.text.strip()]
        present = {s.object_id for s in sources}
        gone, _by_model = (
            SemanticVector.objects.filter(object_type=object_type, object_id__in=chunk)
            .exclude(object_id__in=present)
            .delete()
        )
        if gone:
            vectors_changed(object_type)
        stored = {
            object_id: (model_label, digest)
            for object_id, model_label, digest in SemanticVector.objects.filter(
                object_type=object_type, object_id__in=list(present)
            ).values_list("object_id", "model", "digest")
        }
        todo = [
            s
            for s in sources
            if force or stored.get(s.object_id) != (label, embedding.text_digest(s.text))
        ]
        for batch_start in range(0, len(todo), BATCH):
            batch = todo[batch_start : batch_start + BATCH]
            _embed_batch(object_type, batch, model, label)
            done += len(batch)
    return done


def _embed_batch(object_type: str, batch: list[Source], model, label: str) -> None:
    vectors = model.embed([s.text for s in batch], "passage")
    quoting_model, _columns = embedding.quoting()
    quoted: dict[int, tuple[list[str], bytes | None]] = {}
    if object_type in QUOTED_TYPES:
        all_sentences = [
            (s.object_id, sentence)
            for s in batch
            for sentence in sentences_of(s.quotable or s.text)
        ]
        if all_sentences:
            sentence_vectors = quoting_model.embed([text for _i, text in all_sentences], "passage")
            for object_id in {i for i, _t in all_sentences}:
                rows = [n for n, (i, _t) in enumerate(all_sentences) if i == object_id]
                quoted[object_id] = (
                    [all_sentences[n][1] for n in rows],
                    _pack(sentence_vectors[rows]),
                )
    for source, vector in zip(batch, vectors, strict=True):
        sentences, sentence_vectors = quoted.get(source.object_id, ([], None))
        values = {
            "language": source.language,
            "model": label,
            "digest": embedding.text_digest(source.text),
            "vector": _pack(vector),
            "sentences": sentences,
            "sentence_vectors": sentence_vectors,
        }
        try:
            with transaction.atomic():
                SemanticVector.objects.update_or_create(
                    object_type=object_type, object_id=source.object_id, defaults=values
                )
        except IntegrityError:
            # Another worker wrote it at the same moment, from the same text.
            continue
    vectors_changed(object_type)


def vectors_changed(object_type: str) -> None:
    """Note that vectors of this type were written or deleted: every process holding
    them reads what changed at its next use (see `vector_set`)."""
    changes = SemanticVectorChanges.objects.filter(object_type=object_type)
    if changes.update(changes=F("changes") + 1):
        return
    try:
        with transaction.atomic():
            SemanticVectorChanges.objects.create(
                object_type=object_type, epoch=uuid.uuid4().hex, changes=1
            )
    except IntegrityError:
        changes.update(changes=F("changes") + 1)  # created meanwhile by another worker


def missing_ids(object_type: str) -> list[int]:
    """Objects in the search with no vector of the current model."""
    label = embedding.model_label()
    have = set(
        SemanticVector.objects.filter(object_type=object_type, model=label).values_list(
            "object_id", flat=True
        )
    )
    return [
        object_id
        for object_id in SearchEntry.objects.filter(object_type=object_type).values_list(
            "object_id", flat=True
        )
        if object_id not in have
    ]


def embed_missing(
    object_types: Iterable[str] = SEMANTIC_TYPES,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Embed every object in the search that has no vector of the current model."""
    done = 0
    for object_type in object_types:
        ids = missing_ids(object_type)
        for start in range(0, len(ids), BATCH * 4):
            done += embed_objects(object_type, ids[start : start + BATCH * 4])
            if progress is not None:
                progress(object_type, min(start + BATCH * 4, len(ids)), len(ids))
    return done


def forget(object_type: str, object_ids) -> None:
    gone, _by_model = SemanticVector.objects.filter(
        object_type=object_type, object_id__in=list(object_ids)
    ).delete()
    if gone:
        vectors_changed(object_type)
