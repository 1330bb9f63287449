"""The access matrix's checks for the outside roles of shard 3 (``tests/test_access_matrix.py``
holds the matrix and says why it is sharded): the same world, built once for this module."""

from tests import test_access_matrix as matrix

world = matrix.world
password_only_paths = matrix.password_only_paths

globals().update(matrix.role_tests(3))
