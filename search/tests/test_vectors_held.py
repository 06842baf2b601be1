"""The vectors held in memory: 8 bits per value, and the rows found by id."""

import numpy as np
import pytest

from search import embedded, semantic


def test_a_quantised_vector_is_within_half_a_step_of_the_original():
    rng = np.random.default_rng(3)
    matrix = rng.normal(size=(50, 896)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    rows, scales = embedded.quantised(matrix)
    assert rows.dtype == np.int8 and rows.shape == matrix.shape
    assert (
        np.abs(rows.astype(np.float32) * scales[:, None] - matrix) <= scales[:, None] / 2 + 1e-7
    ).all()
    assert np.abs(rows).max() == 127


def test_a_zero_vector_quantises_to_zeros():
    rows, scales = embedded.quantised(np.zeros((1, 8), dtype=np.float32))
    assert (rows == 0).all() and scales[0] > 0


def test_similarities_in_8_bits_stay_within_a_few_thousandths_of_the_float_ones():
    rng = np.random.default_rng(4)
    matrix = rng.normal(size=(2_000, 896)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    rows, scales = embedded.quantised(matrix)
    ids = np.arange(10, 2_010, dtype=np.int64)
    held = semantic.VectorSet(
        (1, "", ""),
        "model",
        ids,
        np.full(2_000, "en"),
        semantic.Columns([rows]),
        scales,
        semantic.Positions(ids),
    )
    query = matrix[7] + rng.normal(0, 0.05, 896).astype(np.float32)
    query /= np.linalg.norm(query)
    exact = matrix @ query
    assert np.abs(held.similarities(query) - exact).max() < 0.003
    assert held.similarities(query).argmax() == 7
    assert np.abs(held.vectors(7) - matrix[7]).max() <= scales[7] / 2 + 1e-7
    assert held.vectors([7, 9]).shape == (2, 896)


def _two_models(rng, count: int = 2_000):
    """Vectors of two models side by side (384 and 512 columns, each a unit vector
    divided by √2), held as one block per model, in three languages."""
    left = rng.normal(size=(count, 384)).astype(np.float32)
    right = rng.normal(size=(count, 512)).astype(np.float32)
    left /= np.linalg.norm(left, axis=1, keepdims=True)
    right /= np.linalg.norm(right, axis=1, keepdims=True)
    matrix = np.hstack([left, right]) / np.sqrt(2)
    rows, scales = embedded.quantised(matrix)
    ids = np.arange(1, count + 1, dtype=np.int64)
    languages = np.array(["en", "fr", "es"])[np.arange(count) % 3]
    names, codes = np.unique(languages, return_inverse=True)
    held = semantic.VectorSet(
        (1, "", ""),
        "model",
        ids,
        languages,
        semantic.Columns(
            [np.ascontiguousarray(rows[:, :384]), np.ascontiguousarray(rows[:, 384:])]
        ),
        scales,
        semantic.Positions(ids),
        codes.astype(np.intp),
        tuple(str(name) for name in names),
    )
    return matrix, held


def test_each_models_similarities_are_those_of_its_own_columns():
    rng = np.random.default_rng(5)
    matrix, held = _two_models(rng)
    query = matrix[11] + rng.normal(0, 0.02, 896).astype(np.float32)
    parts = [slice(0, 384), slice(384, 896)]
    by_part = held.part_similarities(query, parts)
    for row, part in zip(by_part, parts, strict=True):
        assert np.abs(row - matrix[:, part] @ query[part]).max() < 0.003
    # A part that is not a model's columns is compared on those columns all the same.
    cut = held.part_similarities(query, [slice(100, 600)])[0]
    assert np.abs(cut - matrix[:, 100:600] @ query[100:600]).max() < 0.003
    assert np.abs(held.similarities(query) - matrix @ query).max() < 0.003
    assert held.rows.shape == (2_000, 896) and held.rows[[3, 4]].shape == (2, 896)


def test_feedback_ranks_as_the_moved_query_compared_again(monkeypatch):
    """The moved query's scores come from the query's and its neighbours' mean's
    similarities: the same as moving it and comparing it with every vector again."""
    from search import embedding

    monkeypatch.setattr(embedding, "parts", lambda d: [slice(0, 384), slice(384, 896)])
    rng = np.random.default_rng(6)
    matrix, held = _two_models(rng)
    query = matrix[21] + rng.normal(0, 0.05, 896).astype(np.float32)
    query /= np.linalg.norm(query)
    mixed = semantic.compare_with_feedback(held, query, 3, 0.5)
    closest = [n.object_id for n in semantic.nearest(held, query, 3)]
    mean = held.vectors([held.position[i] for i in closest]).mean(axis=0)
    moved = 0.5 * query + 0.5 * mean
    again = semantic.compare(held, moved / np.linalg.norm(moved))
    assert np.abs(mixed.similarities - again.similarities).max() < 0.003
    assert np.abs(mixed.scores - again.scores).max() < 0.05
    assert [n.object_id for n in mixed.nearest(10)] == [n.object_id for n in again.nearest(10)]


def test_positions_find_the_row_of_each_id_in_any_order():
    positions = semantic.Positions(np.array([50, 10, 30, 20], dtype=np.int64))
    assert positions[10] == 1 and positions[50] == 0
    assert positions.get(15) is None and 30 in positions and 99 not in positions
    assert sorted(positions) == [10, 20, 30, 50] and len(positions) == 4
    assert positions.rows_of(np.array([10, 15, 50, 99, 0])).tolist() == [1, -1, 0, -1, -1]
    with pytest.raises(KeyError):
        positions[99]


def test_no_positions_when_nothing_is_held():
    positions = semantic.Positions(np.zeros(0, dtype=np.int64))
    assert positions.rows_of(np.array([1, 2])).tolist() == [-1, -1]
    assert positions.get(3) is None and len(positions) == 0


def test_vectors_read_in_any_order_of_language_are_held_by_language_with_the_same_scores():
    rng = np.random.default_rng(7)
    matrix, by_codes = _two_models(rng, 600)
    # 12 Portuguese texts among them: fewer than MIN_PER_LANGUAGE, standardised with all.
    languages = by_codes.languages.copy()
    languages[rng.choice(600, 12, replace=False)] = "pt"
    names, codes = np.unique(languages, return_inverse=True)
    by_codes = semantic.VectorSet(
        *(by_codes.version, by_codes.label, by_codes.ids, languages, by_codes.rows),
        *(by_codes.scales, by_codes.position, codes.astype(np.intp), tuple(names)),
    )
    held = semantic._built(
        (1, "", ""), "model", by_codes.ids, languages, by_codes.rows, by_codes.scales, None
    )
    assert list(held.languages) == sorted(languages)
    for object_id in (1, 77, 600):
        assert (held.rows[held.position[object_id]] == by_codes.rows[object_id - 1]).all()
        assert held.languages[held.position[object_id]] == languages[object_id - 1]
    query = matrix[40]
    expected = dict(
        zip(
            by_codes.ids.tolist(),
            semantic.standardised(by_codes, by_codes.similarities(query)).tolist(),
            strict=True,
        )
    )
    scores = semantic.standardised(held, held.similarities(query))
    assert max(abs(scores[held.position[i]] - z) for i, z in expected.items()) < 1e-4
    assert semantic.nearest(held, query, 1)[0].object_id == 41
