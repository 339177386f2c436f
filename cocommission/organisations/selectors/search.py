"""Finding an organisation by name, for pages that pick one from the whole directory.

Such pages never list the directory: the person types part of a name and chooses from at most
SEARCH_MATCHES results, so the page stays the same size however many organisations there are.
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from ..models import Organisation

SEARCH_MATCHES = 20
SEARCH_LENGTH = 100  # the most of a name a search reads


def organisation_matches(search: str, *, exclude: Iterable[int] = ()) -> list[int]:
    """The ids of up to SEARCH_MATCHES organisations whose name contains `search`, by name."""
    search = search.strip()
    if not search:
        return []
    matches = Organisation.objects.filter(name__icontains=search).exclude(pk__in=list(exclude))
    return list(matches.order_by("name").values_list("pk", flat=True)[:SEARCH_MATCHES])


def organisation_choices(
    search: str, *, exclude: Iterable[int] = (), keep: Iterable[int] = ()
) -> QuerySet[Organisation]:
    """The search results as a queryset a form can check a choice against. `keep` adds
    organisations already chosen (an edit page's current choice), so they stay valid."""
    ids = [*organisation_matches(search, exclude=exclude), *keep]
    return Organisation.objects.filter(pk__in=ids).order_by("name")
