"""Reads for partnerships: querysets and page shapes whose query count does not grow with rows."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from cocommission.accounts.models import User
from cocommission.core.audit_rows import AuditChange, AuditRow
from cocommission.core.models import AuditEvent
from cocommission.organisations.models import Organisation

from .models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector


def partnership_roles_for_user(*, user: User) -> QuerySet[PartnershipPerson]:
    return PartnershipPerson.objects.filter(user=user).select_related("partnership").order_by("partnership__name")


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    counted = queryset.order_by().values("partnership").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def partnerships_for_user(*, user: User) -> QuerySet[Partnership]:
    """The partnerships a person belongs to, in person or through one of their organisations.

    Each carries `my_role` (None when they belong only through an organisation), `through`
    (the name of one of their organisations with a seat), `organisation_count` and `people_count`.
    """
    in_person = PartnershipPerson.objects.filter(user=user).values("partnership")
    through_org = PartnershipOrganisation.objects.filter(organisation__memberships__user=user).values("partnership")
    mine = PartnershipPerson.objects.filter(partnership=OuterRef("pk"), user=user)
    my_seats = PartnershipOrganisation.objects.filter(
        partnership=OuterRef("pk"), organisation__memberships__user=user
    ).order_by("organisation__name")
    return (
        Partnership.objects.filter(Q(pk__in=in_person) | Q(pk__in=through_org))
        .annotate(
            my_role=Subquery(mine.values("role")[:1]),
            through=Subquery(my_seats.values("organisation__name")[:1]),
            organisation_count=_count_of(PartnershipOrganisation.objects.filter(partnership=OuterRef("pk"))),
            people_count=_count_of(PartnershipPerson.objects.filter(partnership=OuterRef("pk"))),
        )
        .order_by("name", "pk")
    )


SECTOR_ORDER: list[str] = [Sector.STATUTORY, Sector.VCSE, Sector.OTHER]


@dataclass
class SectorGroup:
    sector: str
    label: str
    organisation_count: int = 0
    people_count: int = 0


@dataclass
class PersonRow:
    person: PartnershipPerson
    sector: str | None  # the sector of the organisation they represent here; None for no organisation

    @property
    def sector_label(self) -> str:
        return Sector(self.sector).label if self.sector else ""


@dataclass
class PartnershipOverview:
    groups: list[SectorGroup]
    people_total: int
    coordinator_count: int
    lived_experience_count: int
    unaffiliated_count: int  # people who represent no organisation

    @property
    def organisation_count(self) -> int:
        return sum(g.organisation_count for g in self.groups)


def member_organisations(*, partnership: Partnership) -> QuerySet[PartnershipOrganisation]:
    return (
        PartnershipOrganisation.objects.filter(partnership=partnership)
        .select_related("organisation")
        .order_by("organisation__name", "pk")
    )


def partnership_people(*, partnership: Partnership) -> QuerySet[PartnershipPerson]:
    return (
        PartnershipPerson.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email", "pk")
    )


def person_sectors(*, partnership: Partnership) -> dict[int, str | None]:
    """Each individual member's sector, by user id: the sector their organisation sits for here,
    or None for someone who represents no organisation. Two queries, however many members."""
    seats = dict(
        PartnershipOrganisation.objects.filter(partnership=partnership).values_list("organisation_id", "sector")
    )
    return {
        user_id: seats.get(organisation_id) if organisation_id else None
        for user_id, organisation_id in PartnershipPerson.objects.filter(partnership=partnership).values_list(
            "user_id", "organisation_id"
        )
    }


def person_rows(*, partnership: Partnership, people: Iterable[PartnershipPerson]) -> list[PersonRow]:
    """One page of people, each with the sector their organisation sits for here. One query."""
    people = list(people)
    organisation_ids = {person.organisation_id for person in people if person.organisation_id}
    seats = dict(
        PartnershipOrganisation.objects.filter(
            partnership=partnership, organisation_id__in=organisation_ids
        ).values_list("organisation_id", "sector")
    )
    return [PersonRow(person=p, sector=seats.get(p.organisation_id) if p.organisation_id else None) for p in people]


def partnership_overview(*, partnership: Partnership) -> PartnershipOverview:
    """How many member organisations and people each sector has, and the counts that show
    whether each sector has an equal voice. Counted in the database: three queries, however
    many members (the lists themselves are paginated by the page)."""
    groups = {s: SectorGroup(sector=s, label=Sector(s).label) for s in SECTOR_ORDER}
    by_sector = (
        PartnershipOrganisation.objects.filter(partnership=partnership)
        .order_by()
        .values("sector")
        .annotate(n=Count("pk"))
    )
    for row in by_sector:
        groups.get(row["sector"], groups[Sector.OTHER]).organisation_count += row["n"]
    seated = PartnershipOrganisation.objects.filter(partnership=partnership, organisation=OuterRef("organisation"))
    people = PartnershipPerson.objects.filter(partnership=partnership).annotate(
        sector=Subquery(seated.values("sector")[:1])
    )
    for row in people.order_by().values("sector").annotate(n=Count("pk")):
        if row["sector"]:
            groups.get(row["sector"], groups[Sector.OTHER]).people_count += row["n"]
    totals = PartnershipPerson.objects.filter(partnership=partnership).aggregate(
        total=Count("pk"),
        coordinators=Count("pk", filter=Q(role=PartnershipPerson.Role.COORDINATOR)),
        lived=Count("pk", filter=Q(lived_experience=True)),
        unaffiliated=Count("pk", filter=Q(organisation__isnull=True)),
    )
    return PartnershipOverview(
        groups=list(groups.values()),
        people_total=totals["total"],
        coordinator_count=totals["coordinators"],
        lived_experience_count=totals["lived"],
        unaffiliated_count=totals["unaffiliated"],
    )


def organisations_to_represent(*, user: User) -> QuerySet[Organisation]:
    """The organisations someone starting a partnership may represent in it: their own."""
    return Organisation.objects.filter(memberships__user=user).order_by("name")


# ---- The partnership's change history -------------------------------------------------------

OBJECT_NAMES = {
    "partnerships.partnership": "Partnership",
    "partnerships.partnershiporganisation": "Member organisation",
    "partnerships.partnershipperson": "Member",
}
FIELD_NAMES = {"user": "Person", "organisation": "Organisation", "lived_experience": "Brings lived experience"}


def audit_events_for_partnership(*, partnership: Partnership) -> QuerySet[AuditEvent]:
    """The partnership's change history, newest first."""
    events = AuditEvent.objects.filter(partnership_id=partnership.pk).select_related("actor")
    return events.order_by("-created_at", "-id")


def _model_field(object_type: str, name: str) -> Any:
    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def _display(value: Any, model_field: Any, names: dict[str, dict[Any, str]]) -> str:
    if value is None or value == "":
        return "Not set"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if model_field is not None:
        if model_field.is_relation:
            target = model_field.related_model._meta.label_lower
            return names.get(target, {}).get(value, f"#{value}")
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Audit events made readable: field names in words, choices by label, and the people and
    organisations an id points at by name. Two extra queries per page, whatever its length."""
    events = list(events)
    wanted: dict[str, set[Any]] = {"accounts.user": set(), "organisations.organisation": set()}
    for event in events:
        for name, values in event.changes.items():
            model_field = _model_field(event.object_type, name)
            if model_field is not None and model_field.is_relation:
                target = model_field.related_model._meta.label_lower
                if target in wanted:
                    wanted[target].update(v for v in values if v is not None)
    names: dict[str, dict[Any, str]] = {
        "accounts.user": {u.pk: str(u) for u in User.objects.filter(pk__in=wanted["accounts.user"])}
        if wanted["accounts.user"]
        else {},
        "organisations.organisation": dict(
            Organisation.objects.filter(pk__in=wanted["organisations.organisation"]).values_list("pk", "name")
        )
        if wanted["organisations.organisation"]
        else {},
    }
    rows = []
    for event in events:
        changes = []
        for name, values in event.changes.items():
            if name == "partnership":
                continue  # every event on this page is about this partnership
            model_field = _model_field(event.object_type, name)
            label = FIELD_NAMES.get(name) or str(getattr(model_field, "verbose_name", name)).capitalize()
            old, new = [*values, None, None][:2]
            changes.append(
                AuditChange(label=label, old=_display(old, model_field, names), new=_display(new, model_field, names))
            )
        thing = OBJECT_NAMES.get(event.object_type, event.object_type)
        rows.append(AuditRow(event=event, thing=thing, changes=changes))
    return rows
