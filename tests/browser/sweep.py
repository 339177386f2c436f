"""Opening every page of a permission matrix in Chromium and checking it with axe-core.

Each GET page that the matrix says answers 200 for someone is opened signed in as the first
persona (in ORDER) allowed to see it. The matrices come in two shapes: name -> list of cases
(each with `kwargs(world)` and `expected`), and the foundation matrix's name -> (kwargs builder,
outcomes); `as_cases` turns the second into the first.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse

from cocommission.accounts.tests.factories import PASSWORD

from .conftest import sign_in

# Files, not pages: downloads and JSON answers are checked by their own tests.
FILES = {
    "commissioning:decision_record_json",
    "commissioning:notice_json",
    "deciding:meeting_paper_download",
    "mfa_download_recovery_codes",
    "needs:indicator_sample",
    "organisations:passport_download",
}
# Whom to look through first: the people with the widest view of each part.
ORDER = ("cora", "sid", "alice", "lena", "pat", "bob", "charlie", "anonymous")


@dataclass(frozen=True)
class Case:
    kwargs: Callable[[Any], dict[str, Any]]
    expected: dict[str, Any]


def as_cases(matrix: Mapping[str, tuple[Callable[[Any], dict[str, Any]], dict[str, Any]]]) -> dict[str, list[Case]]:
    """The foundation matrix (name -> (kwargs builder, outcomes)) as one case per name."""
    return {name: [Case(kwargs, expected)] for name, (kwargs, expected) in matrix.items()}


def pages_by_persona(matrix: Mapping[str, Sequence[Any]], world: Any, skip: Iterable[str] = ()) -> dict[str, list[str]]:
    """The address of every page someone may see, grouped by the first persona allowed to."""
    leave_out = FILES | set(skip)
    pages: dict[str, list[str]] = {}
    for name, cases in sorted(matrix.items()):
        if name in leave_out:
            continue
        for case in cases:
            persona = next((p for p in ORDER if case.expected.get(p) == 200), None)
            if persona is not None:
                pages.setdefault(persona, []).append(reverse(name, kwargs=case.kwargs(world)))
    return pages


def check_all(page: Any, assert_accessible: Any, request: Any, pages: dict[str, list[str]]) -> None:
    """Opens every page as its persona and checks it; reports every page with problems at once."""
    problems: list[str] = []
    for persona, urls in pages.items():
        page.context.clear_cookies()
        if persona != "anonymous":
            sign_in(page, request.getfixturevalue(persona).email, PASSWORD)
        for url in urls:
            response = page.goto(url)
            # Chromium follows redirects: a page that sent its persona elsewhere would answer 200 too.
            if response is None or response.status != 200 or urlsplit(page.url).path != url:
                problems.append(f"{url} as {persona}: answered {response and response.status} at {page.url}")
                continue
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(f"{url} as {persona}: {error}")
    assert problems == [], "\n\n".join(problems)
