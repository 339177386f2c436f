"""Reads for organisation pages: the public directory and the profile."""

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from ..models import Area, Organisation


def directory_organisations(
    *,
    search: str = "",
    kinds: Iterable[str] = (),
    income_bands: Iterable[str] = (),
    areas: Iterable[Area] = (),
) -> QuerySet[Organisation]:
    """Organisations for the public directory, filtered, with their areas fetched in one more query.

    Filters of one kind combine with "or" (VCSE or private), different filters with "and".
    """
    queryset = Organisation.objects.all()
    if search.strip():
        queryset = queryset.filter(name__icontains=search.strip())
    kinds = list(kinds)
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    income_bands = list(income_bands)
    if income_bands:
        queryset = queryset.filter(income_band__in=income_bands)
    area_ids = [area.pk for area in areas]
    if area_ids:
        # A subquery rather than a join, so an organisation serving two chosen areas is listed once.
        serves = Organisation.areas_served.through.objects.filter(organisation_id=OuterRef("pk"), area_id__in=area_ids)
        queryset = queryset.filter(Exists(serves))
    return queryset.prefetch_related("areas_served").order_by("name", "pk")


def organisation_profile(*, organisation: Organisation) -> Organisation:
    """The organisation with its areas loaded, for the profile page."""
    return Organisation.objects.prefetch_related("areas_served").get(pk=organisation.pk)
