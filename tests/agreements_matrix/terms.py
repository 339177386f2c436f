"""Permission-matrix cases for the agreement pages of the terms part."""

from .common import PARTIES, SIGNED_IN_200, Case, active, draft

A = "agreements:"

MATRIX: dict[str, list[Case]] = {
    A + "list": [Case("mine", lambda w: {}, SIGNED_IN_200)],
    A + "detail": [Case("draft", draft, PARTIES), Case("active", active, PARTIES)],
    A + "print": [Case("active", active, PARTIES)],
}
