"""Permission-matrix cases for agreement pages, one module per part (terms, money, schedule,
changes), gathered by tests/test_permission_matrix_agreements.py."""
