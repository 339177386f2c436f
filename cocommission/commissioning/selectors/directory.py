"""Finding an organisation in the directory for a commissioning page: the provider an
opportunity assesses, or the next member of a consortium.

These pages never list the directory. The person searches by name and chooses from at most
SEARCH_MATCHES results, so a page runs the same queries however many organisations there are.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from cocommission.organisations.models import Organisation
from cocommission.organisations.selectors.search import (
    SEARCH_LENGTH,
    SEARCH_MATCHES,
    organisation_choices,
    organisation_matches,
)

from ..models import Application, ConsortiumMember, Opportunity

__all__ = ["SEARCH_LENGTH", "DirectorySearch", "clean_search", "invite_search", "provider_search"]


@dataclass(frozen=True)
class DirectorySearch:
    text: str
    matches: int  # how many organisations match the text, up to SEARCH_MATCHES
    choices: QuerySet[Organisation]  # the matches, and any organisation that stays a choice

    @property
    def searched(self) -> bool:
        return bool(self.text)

    @property
    def limit(self) -> int:
        return SEARCH_MATCHES

    @property
    def limit_reached(self) -> bool:
        """There may be more matches than are shown: the person should type more of the name."""
        return self.matches >= SEARCH_MATCHES

    @property
    def summary(self) -> str:
        """What the search found, in a sentence ("" before any search)."""
        if not self.text:
            return ""
        if self.limit_reached:
            return (
                f"{SEARCH_MATCHES} or more organisations match ‘{self.text}’. Only the first {SEARCH_MATCHES} "
                "are shown: type more of the name."
            )
        if self.matches:
            noun, verb = ("organisation", "matches") if self.matches == 1 else ("organisations", "match")
            return f"{self.matches} {noun} {verb} ‘{self.text}’."
        return f"No organisations match ‘{self.text}’. Check the spelling, or type part of the name."


def clean_search(text: str) -> str:
    return text.strip()[:SEARCH_LENGTH]


def directory_search(text: str, *, exclude: Iterable[int] = (), keep: Iterable[int] = ()) -> DirectorySearch:
    text = clean_search(text)
    exclude = list(exclude)
    return DirectorySearch(
        text=text,
        matches=len(organisation_matches(text, exclude=exclude)),
        choices=organisation_choices(text, exclude=exclude, keep=keep),
    )


def provider_search(
    text: str, *, opportunity: Opportunity | None = None, funders: QuerySet[Organisation] | None = None
) -> DirectorySearch:
    """Organisations that could be the provider being assessed. Never the funder: a draft's
    own funder, or, for a new opportunity, the funder when there is only one to choose from.
    A draft's current provider stays a choice whatever the search."""
    if opportunity is not None:
        keep = [opportunity.named_provider_id] if opportunity.named_provider_id else []
        return directory_search(text, exclude=[opportunity.funder_id], keep=keep)
    funder_ids = list(funders.values_list("pk", flat=True)[:2]) if funders is not None else []
    return directory_search(text, exclude=funder_ids if len(funder_ids) == 1 else [])


def invite_search(text: str, *, application: Application) -> DirectorySearch:
    """Organisations that could be invited into the application's consortium: not the funder,
    and not one already in it (one that declined can be invited again)."""
    taken = (
        ConsortiumMember.objects.filter(consortium=application.consortium)
        .exclude(status=ConsortiumMember.Status.DECLINED)
        .values_list("organisation_id", flat=True)
    )
    return directory_search(text, exclude=[application.opportunity.funder_id, *taken])
