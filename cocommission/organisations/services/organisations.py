"""Writes for organisations: create and change the details, each with its audit event."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import STALE_MESSAGE as STALE_MESSAGE  # the edit page's words for it
from cocommission.core.versioning import ensure_unchanged

from ..models import Area, Membership, Organisation
from ..validators import (
    normalise_charity_number,
    normalise_company_number,
    validate_charity_number,
    validate_company_number,
)
from .members import add_membership

# The column holds 14 digits with 2 for pence.
MAX_INCOME = Decimal("1000000000000")

# Slugs that would shadow fixed paths under /organisations/.
_RESERVED_SLUGS = {"new", "invitations", "passport-documents"}

# The fields an audit entry compares; areas_served is added by _state() because it is many-to-many.
_AUDITED_FIELDS = [
    "name",
    "slug",
    "kind",
    "legal_form",
    "charity_number",
    "company_number",
    "latest_annual_income",
    "income_band",
    "description",
    "website",
    "public_email",
    "public_phone",
    "address",
    "postcode",
]

_NUMBER_FIELDS = {
    "charity_number": "An organisation with this charity number is already registered: {name}",
    "company_number": "An organisation with this company number is already registered: {name}",
}


@dataclass(frozen=True, kw_only=True)
class OrganisationDetails:
    """Everything a person can set about an organisation, as the create and edit forms collect it."""

    name: str
    kind: str
    legal_form: str
    charity_number: str | None = None
    company_number: str | None = None
    latest_annual_income: Decimal | None = None
    areas_served: Iterable[Area] = field(default_factory=tuple)
    description: str = ""
    website: str = ""
    public_email: str = ""
    public_phone: str = ""
    address: str = ""
    postcode: str = ""

    def model_values(self) -> dict[str, Any]:
        """The plain column values, numbers normalised and blanks stored as NULL so they never collide."""
        charity = normalise_charity_number(self.charity_number or "") or None
        company = normalise_company_number(self.company_number or "") or None
        income = self.latest_annual_income
        if income is not None:
            # Pence-exact, as the column stores it, so "85000" and "85000.00" are the same income.
            income = income.quantize(Decimal("0.01"))
        return {
            "name": self.name.strip(),
            "kind": self.kind,
            "legal_form": self.legal_form,
            "charity_number": charity,
            "company_number": company,
            "latest_annual_income": income,
            "description": self.description,
            "website": self.website,
            "public_email": self.public_email,
            "public_phone": self.public_phone,
            "address": self.address,
            "postcode": self.postcode.strip().upper(),
        }


def _state(organisation: Organisation) -> dict[str, Any]:
    state = audit.snapshot(organisation, _AUDITED_FIELDS)
    state["areas_served"] = sorted(organisation.areas_served.values_list("name", flat=True))
    return state


def _check_values(values: dict[str, Any], *, exclude_pk: int | None) -> None:
    """Guard: numbers in a shape the registers issue, and not already registered by another organisation."""
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = ["Enter the organisation's name"]
    if values["charity_number"]:
        try:
            validate_charity_number(values["charity_number"])
        except ValidationError as exc:
            errors["charity_number"] = exc.messages
    if values["company_number"]:
        try:
            validate_company_number(values["company_number"])
        except ValidationError as exc:
            errors["company_number"] = exc.messages
    income = values["latest_annual_income"]
    if income is not None and income < 0:
        errors["latest_annual_income"] = ["Latest annual income must be £0 or more"]
    elif income is not None and income >= MAX_INCOME:
        errors["latest_annual_income"] = ["Latest annual income must be less than £1,000,000,000,000"]
    for name, message in _duplicate_number_errors(values, exclude_pk=exclude_pk).items():
        errors.setdefault(name, []).append(message)
    if errors:
        raise ValidationError(errors)


def _duplicate_number_errors(values: dict[str, Any], *, exclude_pk: int | None) -> dict[str, str]:
    errors = {}
    for name, message in _NUMBER_FIELDS.items():
        number = values.get(name)
        if not number:
            continue
        others = Organisation.objects.filter(**{name: number})
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        other = others.first()
        if other is not None:
            errors[name] = message.format(name=other.name)
    return errors


def _slug_candidates(name: str) -> Iterable[str]:
    base = slugify(name)[:200].strip("-") or "organisation"
    if base not in _RESERVED_SLUGS:
        yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1


def unique_slug(name: str) -> str:
    """A slug made from the name that no organisation uses yet."""
    for candidate in _slug_candidates(name):
        if not Organisation.objects.filter(slug=candidate).exists():
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _save_or_explain(organisation: Organisation, values: dict[str, Any], *, exclude_pk: int | None) -> None:
    """Save inside a savepoint; turn a lost race on a unique number into the same field error.

    The service checked for duplicates already, but two people can register the same number at
    once; the database's unique constraint is the real guard, and its error must not become a 500.
    """
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:
        errors = _duplicate_number_errors(values, exclude_pk=exclude_pk)
        if errors:
            raise ValidationError(errors) from None
        raise


@transaction.atomic
def create_organisation(*, actor: User, details: OrganisationDetails) -> Organisation:
    """Register an organisation; the person who creates it becomes its first admin."""
    values = details.model_values()
    _check_values(values, exclude_pk=None)
    organisation = Organisation(**values)
    for attempt in range(3):
        organisation.slug = unique_slug(values["name"])
        try:
            _save_or_explain(organisation, values, exclude_pk=None)
            break
        except IntegrityError:
            # Someone took the same slug between our check and our insert: pick the next one.
            if attempt == 2:
                raise
    organisation.areas_served.set(list(details.areas_served))
    audit.record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        instance=organisation,
        changes=audit.created_changes(_state(organisation)),
        organisation_id=organisation.pk,
    )
    add_membership(actor=actor, user=actor, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


@transaction.atomic
def update_organisation(
    *, actor: User, organisation: Organisation, details: OrganisationDetails, version: str | None = None
) -> Organisation:
    """Change an organisation's details.

    `version` is the organisation's updated_at as the form showed it; when it no longer matches,
    someone else saved in between and StaleFormError is raised so nobody overwrites unseen changes.
    """
    locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
    ensure_unchanged(locked, version)
    values = details.model_values()
    _check_values(values, exclude_pk=locked.pk)
    before = _state(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    _save_or_explain(locked, values, exclude_pk=locked.pk)
    locked.areas_served.set(list(details.areas_served))
    # The database computes the income band; the instance only learns it by asking.
    locked.refresh_from_db(fields=["income_band"])
    changes = audit.diff(before, _state(locked))
    if changes:
        audit.record(
            actor=actor, action=AuditEvent.Action.UPDATE, instance=locked, changes=changes, organisation_id=locked.pk
        )
    return locked
