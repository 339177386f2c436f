"""Permission-matrix cases for the indicators pages."""

from .common import MEMBERS, Case, TogetherWorld, slug  # noqa: F401


def build(w: TogetherWorld) -> None:
    """Add this part's objects to the world (w.extra[...])."""


MATRIX: dict[str, list[Case]] = {}
