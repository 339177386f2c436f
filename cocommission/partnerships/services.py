"""Every write to partnerships and their membership.

Each service runs in one transaction, locks the partnership row before changing who belongs to
it (so two coordinators acting at once cannot both step down and leave nobody in charge), checks
its guards, and records its audit event before it returns.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cocommission.accounts.models import User
from cocommission.core.audit import record_create, record_delete, record_update, snapshot
from cocommission.core.versioning import ensure_unchanged
from cocommission.organisations.models import Membership, Organisation

from .models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector

# Slugs that would collide with fixed paths under /partnerships/.
RESERVED_SLUGS = frozenset({"new"})

STALE_MESSAGE = (
    "Someone else changed these details while you were editing them. "
    "Check the details below and save again if they are still right."
)

_SECTOR_FOR_KIND: dict[str, str] = {
    Organisation.Kind.STATUTORY: Sector.STATUTORY,
    Organisation.Kind.VCSE: Sector.VCSE,
}


def default_sector(organisation: Organisation) -> str:
    """The sector an organisation sits for unless the coordinator decides otherwise."""
    return _SECTOR_FOR_KIND.get(organisation.kind, Sector.OTHER)


def at_least_one_coordinator_message(partnership: Partnership) -> str:
    return f"{partnership.name} must have at least one coordinator"


def _lock(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _check_not_stale(instance: PartnershipOrganisation | PartnershipPerson, version: str | None) -> None:
    # A blank stamp is a form that carried none; partnerships let that through rather than refuse it.
    ensure_unchanged(instance, version or None, message=STALE_MESSAGE)


def _refuse_removing_last_coordinator(
    partnership: Partnership, person: PartnershipPerson, field: str | None = None
) -> None:
    if person.role != PartnershipPerson.Role.COORDINATOR:
        return
    others = (
        PartnershipPerson.objects.filter(partnership=partnership, role=PartnershipPerson.Role.COORDINATOR)
        .exclude(pk=person.pk)
        .exists()
    )
    if not others:
        message = at_least_one_coordinator_message(partnership)
        raise ValidationError({field: message} if field else message, code="last_coordinator")


def _unique_slug(name: str) -> str:
    base = slugify(name)[:200].strip("-") or "partnership"
    candidate, n = base, 1
    while candidate in RESERVED_SLUGS or Partnership.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _check_representation(
    *, partnership: Partnership, user: User, organisation: Organisation | None, field: str = "organisation"
) -> None:
    """Someone may only represent an organisation they belong to that has a seat in the partnership,
    so every representative's sector is known when votes are balanced by sector."""
    if organisation is None:
        return
    if not PartnershipOrganisation.objects.filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError(
            {field: f"{organisation.name} is not a member of {partnership.name}. Add the organisation first."}
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {field: f"{user} is not a member of {organisation.name}. Choose an organisation they belong to, or none."}
        )


def _check_role(role: str) -> None:
    if role not in PartnershipPerson.Role.values:
        raise ValidationError({"role": "Choose coordinator or member"})


def _check_sector(sector: str) -> None:
    if sector not in Sector.values:
        raise ValidationError({"sector": "Choose statutory, VCSE or other"})


def _add_seat(
    *, actor: User, partnership: Partnership, organisation: Organisation, sector: str, seat: str
) -> PartnershipOrganisation:
    member = PartnershipOrganisation.objects.create(
        partnership=partnership, organisation=organisation, sector=sector, seat=seat.strip()
    )
    record_create(actor=actor, instance=member, partnership_id=partnership.pk, organisation_id=organisation.pk)
    return member


def _add_person(
    *,
    actor: User,
    partnership: Partnership,
    user: User,
    role: str,
    organisation: Organisation | None,
    lived_experience: bool = False,
) -> PartnershipPerson:
    person = PartnershipPerson.objects.create(
        partnership=partnership, user=user, role=role, organisation=organisation, lived_experience=lived_experience
    )
    record_create(
        actor=actor,
        instance=person,
        partnership_id=partnership.pk,
        organisation_id=organisation.pk if organisation else None,
    )
    return person


@transaction.atomic
def create_partnership(
    *,
    actor: User,
    name: str,
    place: str,
    description: str = "",
    organisation: Organisation | None = None,
) -> Partnership:
    """Start a partnership with the actor as its first coordinator.

    When the actor represents one of their organisations, that organisation takes a seat too,
    in the sector its kind suggests.
    """
    name, place = name.strip(), place.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the name of the partnership"
    if not place:
        errors["place"] = "Enter the place the partnership works for"
    if organisation is not None and not Membership.objects.filter(user=actor, organisation=organisation).exists():
        errors["organisation"] = (
            f"You are not a member of {organisation.name}. Choose one of your organisations, or none."
        )
    if errors:
        raise ValidationError(errors)

    # Two people starting "Brackenmoor Together" at the same moment: the loser of the race on
    # the unique slug tries the next free one instead of failing.
    for _attempt in range(5):
        try:
            with transaction.atomic():
                partnership = Partnership.objects.create(
                    name=name, slug=_unique_slug(name), place=place, description=description.strip(), created_by=actor
                )
            break
        except IntegrityError:
            continue
    else:
        raise ValidationError({"name": "A partnership with this name was started at the same moment. Try again."})
    record_create(actor=actor, instance=partnership, partnership_id=partnership.pk)

    if organisation is not None:
        sector = default_sector(organisation)
        _add_seat(actor=actor, partnership=partnership, organisation=organisation, sector=sector, seat="")
    _add_person(
        actor=actor,
        partnership=partnership,
        user=actor,
        role=PartnershipPerson.Role.COORDINATOR,
        organisation=organisation,
    )
    return partnership


MINIMUM_TERM_RANGE = range(1, 11)


@transaction.atomic
def change_partnership(
    *,
    actor: User,
    partnership: Partnership,
    name: str,
    place: str,
    description: str = "",
    minimum_term_years: int,
    version: str | None = None,
) -> Partnership:
    """Change the partnership's details and its policy minimum term for recurring services.

    Agreements for recurring services shorter than the minimum are flagged short-term. The slug
    stays, so links to the partnership keep working after a rename.
    """
    locked = _lock(partnership)
    ensure_unchanged(locked, version or None, message=STALE_MESSAGE)
    name, place = name.strip(), place.strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Enter the name of the partnership"
    if not place:
        errors["place"] = "Enter the place the partnership works for"
    if minimum_term_years not in MINIMUM_TERM_RANGE:
        errors["minimum_term_years"] = "The minimum term must be between 1 and 10 years"
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    locked.name, locked.place, locked.description = name, place, description.strip()
    locked.minimum_term_years = minimum_term_years
    locked.save()
    record_update(actor=actor, instance=locked, before=before, partnership_id=locked.pk)
    return locked


@transaction.atomic
def add_partnership_organisation(
    *,
    actor: User,
    partnership: Partnership,
    organisation: Organisation,
    sector: str | None = None,
    seat: str = "",
) -> PartnershipOrganisation:
    """Give an organisation a seat. Without a sector, it sits for the sector its kind suggests."""
    partnership = _lock(partnership)
    if PartnershipOrganisation.objects.filter(partnership=partnership, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": f"{organisation.name} is already a member of {partnership.name}"}, code="duplicate"
        )
    sector = sector or default_sector(organisation)
    _check_sector(sector)
    return _add_seat(actor=actor, partnership=partnership, organisation=organisation, sector=sector, seat=seat)


@transaction.atomic
def change_partnership_organisation(
    *,
    actor: User,
    member: PartnershipOrganisation,
    sector: str,
    seat: str,
    version: str | None = None,
) -> PartnershipOrganisation:
    """Change the sector a member organisation sits for, or its seat."""
    partnership = _lock(member.partnership)
    try:
        member = (
            PartnershipOrganisation.objects.select_for_update(of=("self",))
            .select_related("organisation")
            .get(pk=member.pk, partnership=partnership)
        )
    except PartnershipOrganisation.DoesNotExist as exc:
        raise ValidationError(f"{member.organisation.name} is no longer a member of {partnership.name}") from exc
    _check_not_stale(member, version)
    _check_sector(sector)
    before = snapshot(member)
    member.sector = sector
    member.seat = seat.strip()
    member.save()
    record_update(
        actor=actor,
        instance=member,
        before=before,
        partnership_id=partnership.pk,
        organisation_id=member.organisation_id,
    )
    return member


@transaction.atomic
def remove_partnership_organisation(*, actor: User, member: PartnershipOrganisation) -> None:
    """Take a member organisation's seat away.

    Refused while people still represent the organisation here: they would silently become
    people who represent no organisation, which changes how their voice is counted.
    """
    partnership = _lock(member.partnership)
    try:
        member = PartnershipOrganisation.objects.select_related("organisation").get(
            pk=member.pk, partnership=partnership
        )
    except PartnershipOrganisation.DoesNotExist:
        return  # Already removed, perhaps by a second click: the outcome the person wanted.
    representatives = list(
        PartnershipPerson.objects.filter(partnership=partnership, organisation=member.organisation)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    )
    if representatives:
        names = ", ".join(str(p.user) for p in representatives)
        verb = "represents" if len(representatives) == 1 else "represent"
        raise ValidationError(
            f"{names} {verb} {member.organisation.name} in {partnership.name}. "
            f"Change who they represent, or remove them, before removing {member.organisation.name}.",
            code="has_representatives",
        )
    record_delete(actor=actor, instance=member, partnership_id=partnership.pk, organisation_id=member.organisation_id)
    member.delete()


@transaction.atomic
def add_partnership_person(
    *,
    actor: User,
    partnership: Partnership,
    email: str,
    role: str = PartnershipPerson.Role.MEMBER,
    organisation: Organisation | None = None,
    lived_experience: bool = False,
) -> PartnershipPerson:
    """Add someone who already has an account, as a coordinator or a member, representing one of
    their organisations or none."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {
                "email": "There is no account with that email address. "
                "Ask them to create an account first, then add them."
            },
            code="no_account",
        )
    partnership = _lock(partnership)
    if PartnershipPerson.objects.filter(partnership=partnership, user=user).exists():
        raise ValidationError({"email": f"{user} is already a member of {partnership.name}"}, code="duplicate")
    _check_role(role)
    _check_representation(partnership=partnership, user=user, organisation=organisation)
    return _add_person(
        actor=actor,
        partnership=partnership,
        user=user,
        role=role,
        organisation=organisation,
        lived_experience=lived_experience,
    )


@transaction.atomic
def change_partnership_person(
    *,
    actor: User,
    person: PartnershipPerson,
    role: str,
    organisation: Organisation | None,
    lived_experience: bool,
    version: str | None = None,
) -> PartnershipPerson:
    """Change someone's role, who they represent, or whether they bring lived experience.
    The last coordinator cannot become a member."""
    partnership = _lock(person.partnership)
    try:
        person = (
            PartnershipPerson.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=person.pk, partnership=partnership)
        )
    except PartnershipPerson.DoesNotExist as exc:
        raise ValidationError(f"{person.user} is no longer a member of {partnership.name}") from exc
    _check_not_stale(person, version)
    _check_role(role)
    if role != PartnershipPerson.Role.COORDINATOR:
        _refuse_removing_last_coordinator(partnership, person, field="role")
    _check_representation(partnership=partnership, user=person.user, organisation=organisation)
    before = snapshot(person)
    person.role = role
    person.organisation = organisation
    person.lived_experience = lived_experience
    person.save()
    record_update(
        actor=actor,
        instance=person,
        before=before,
        partnership_id=partnership.pk,
        organisation_id=person.organisation_id or before.get("organisation"),
    )
    return person


def _delete_person(*, actor: User, partnership: Partnership, person: PartnershipPerson) -> None:
    _refuse_removing_last_coordinator(partnership, person)
    record_delete(actor=actor, instance=person, partnership_id=partnership.pk, organisation_id=person.organisation_id)
    person.delete()


@transaction.atomic
def remove_partnership_person(*, actor: User, person: PartnershipPerson) -> None:
    """Remove an individual member. The last coordinator cannot be removed."""
    partnership = _lock(person.partnership)
    try:
        person = PartnershipPerson.objects.select_related("user").get(pk=person.pk, partnership=partnership)
    except PartnershipPerson.DoesNotExist:
        return  # Already removed, perhaps by a second click.
    _delete_person(actor=actor, partnership=partnership, person=person)


@transaction.atomic
def leave_partnership(*, actor: User, partnership: Partnership) -> None:
    """The actor steps down from the partnership. The last coordinator cannot leave."""
    partnership = _lock(partnership)
    person = PartnershipPerson.objects.select_related("user").filter(partnership=partnership, user=actor).first()
    if person is None:
        raise ValidationError(f"You are not a member of {partnership.name}", code="not_member")
    _delete_person(actor=actor, partnership=partnership, person=person)
