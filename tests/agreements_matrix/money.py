"""Permission-matrix cases for the agreement pages of the money part."""

from .common import PARTIES, Case, active, draft  # noqa: F401

A = "agreements:"

MATRIX: dict[str, list[Case]] = {}
