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
        (1, "", ""), "model", ids, np.full(2_000, "en"), rows, scales, semantic.Positions(ids)
    )
    query = matrix[7] + rng.normal(0, 0.05, 896).astype(np.float32)
    query /= np.linalg.norm(query)
    exact = matrix @ query
    assert np.abs(held.similarities(query) - exact).max() < 0.003
    assert held.similarities(query).argmax() == 7
    assert np.abs(held.vectors(7) - matrix[7]).max() <= scales[7] / 2 + 1e-7
    assert held.vectors([7, 9]).shape == (2, 896)


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
