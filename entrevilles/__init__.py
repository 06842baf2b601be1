"""Entrevilles: the city-to-city learning platform of a network of local governments."""

import os

# One thread for NumPy's BLAS and for OpenMP in every process. Web processes and the
# worker already run one per core; a BLAS pool of its own in each of them spins on the
# other core while it waits, and turns the 5 ms of a sentence's embedding into 50 to
# 170 ms. Read once, when NumPy loads its BLAS: this package is imported before it.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")
