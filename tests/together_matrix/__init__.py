"""Permission-matrix cases for the decide-together pages (needs and deciding), one module per
part, gathered by tests/test_permission_matrix_together.py."""
