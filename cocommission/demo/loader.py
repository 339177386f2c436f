"""Writes the demo place into the database, adding only what is missing.

Demo records go straight through the ORM rather than the services, because the loader acts as
no signed-in person; it records the same audit events ("system") so the audit pages have a
history to show. Commissioning is the exception (demo/commissioning/): there the demo's own
people take each step through the commissioning services, so every route's guards hold.
"""

import datetime
import functools
from collections import Counter
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.agreements.models import Agreement
from cocommission.commissioning.models import Opportunity
from cocommission.core import audit
from cocommission.organisations.models import Area, Interaction, Membership, Organisation, PassportDocument
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson

from . import place
from .agreements import load_demo_agreements
from .commissioning import load_demo_commissioning
from .files import demo_pdf
from .together import load_demo_together

Kind = PassportDocument.Kind
# Which passport documents each organisation has, in turn, so the demo shows every state:
# complete, missing some, one expired, only the basics, none at all.
PASSPORT_PATTERNS: list[dict[str, int | None]] = [
    {
        k: d
        for k, d in [
            (Kind.GOVERNING_DOCUMENT, None),
            (Kind.ACCOUNTS, 300),
            (Kind.SAFEGUARDING, 200),
            (Kind.DATA_PROTECTION, 250),
            (Kind.EQUALITY, 330),
            (Kind.INSURANCE, 21),
        ]
    },
    {
        k: d
        for k, d in [
            (Kind.GOVERNING_DOCUMENT, None),
            (Kind.ACCOUNTS, 280),
            (Kind.SAFEGUARDING, 45),
            (Kind.INSURANCE, 160),
        ]
    },
    {
        k: d
        for k, d in [
            (Kind.GOVERNING_DOCUMENT, None),
            (Kind.ACCOUNTS, 190),
            (Kind.SAFEGUARDING, -12),
            (Kind.DATA_PROTECTION, 400),
            (Kind.EQUALITY, 365),
            (Kind.INSURANCE, 240),
        ]
    },
    {k: d for k, d in [(Kind.GOVERNING_DOCUMENT, None), (Kind.ACCOUNTS, 120)]},
    {},
]


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo person shares the one password, so hash it once.
    return make_password(place.DEMO_PASSWORD)


def _user(email: str, full_name: str, counts: Counter[str], **extra: Any) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name, **extra)
        user.password = _demo_password_hash()
        user.save(update_fields=["password"])
        counts["people added"] += 1
    # A confirmed address, so demo people can set up two-step sign in straight away.
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def _organisation(spec: place.DemoOrganisation, areas: dict[str, Area], counts: Counter[str]) -> Organisation:
    org = Organisation.objects.filter(slug=spec.slug).first()
    if org is None:
        org = Organisation.objects.create(
            slug=spec.slug,
            name=spec.name,
            kind=spec.kind,
            legal_form=spec.legal_form,
            latest_annual_income=spec.income,
            charity_number=spec.charity_number,
            company_number=spec.company_number,
            description=spec.description,
            public_email=f"hello@{spec.slug}.example",
            website=f"https://{spec.slug}.example",
        )
        org.areas_served.set([areas[name] for name in spec.areas])
        audit.record_create(actor=None, instance=org, organisation_id=org.pk)
        counts["organisations added"] += 1
    return org


def _membership(user: User, org: Organisation, role: str, counts: Counter[str]) -> None:
    membership, created = Membership.objects.get_or_create(user=user, organisation=org, defaults={"role": role})
    if created:
        audit.record_create(actor=None, instance=membership, organisation_id=org.pk)
        counts["memberships added"] += 1


def _passport(org: Organisation, pattern: dict[str, int | None], today: datetime.date, counts: Counter[str]) -> None:
    if org.passport_documents.exists():
        return
    for kind, days in pattern.items():
        label = Kind(kind).label
        content = demo_pdf(f"{org.name} - {label}")
        document = PassportDocument(
            organisation=org,
            kind=kind,
            original_filename=f"{org.slug}-{kind.replace('_', '-')}.pdf",
            content_type="application/pdf",
            size_bytes=len(content),
            expires_on=None if days is None else today + datetime.timedelta(days=days),
        )
        document.file.save(document.original_filename, ContentFile(content), save=False)
        document.save()
        audit.record_create(actor=None, instance=document, organisation_id=org.pk)
        counts["passport documents added"] += 1


def _partnership(orgs: dict[str, Organisation], counts: Counter[str]) -> Partnership:
    spec = place.PARTNERSHIP
    partnership = Partnership.objects.filter(slug=spec["slug"]).first()
    if partnership is None:
        partnership = Partnership.objects.create(
            slug=spec["slug"], name=spec["name"], place=spec["place"], description=spec["description"]
        )
        audit.record_create(actor=None, instance=partnership, partnership_id=partnership.pk)
        counts["partnerships added"] += 1
    sectors = {"statutory": "statutory", "vcse": "vcse"}
    for demo_org in place.ORGANISATIONS:
        if not demo_org.sector_seat:
            continue
        org = orgs[demo_org.slug]
        seat, created = PartnershipOrganisation.objects.get_or_create(
            partnership=partnership,
            organisation=org,
            defaults={"sector": sectors.get(org.kind, "other"), "seat": demo_org.sector_seat},
        )
        if created:
            audit.record_create(actor=None, instance=seat, partnership_id=partnership.pk, organisation_id=org.pk)
            counts["partnership organisations added"] += 1
    people: list[tuple[str, str, bool]] = [(spec["coordinator"], "coordinator", False)]
    people += [(email, "member", False) for email in place.PARTNERSHIP_REPRESENTATIVES]
    people += [(email, "member", True) for email, _ in place.LIVED_EXPERIENCE]
    for email, role, lived in people:
        user = User.objects.get(email=email)
        represents = None if lived else Organisation.objects.filter(memberships__user=user).first()
        person, created = PartnershipPerson.objects.get_or_create(
            partnership=partnership,
            user=user,
            defaults={"role": role, "organisation": represents, "lived_experience": lived},
        )
        if created:
            audit.record_create(actor=None, instance=person, partnership_id=partnership.pk)
            counts["partnership people added"] += 1
    return partnership


def _timeline(
    orgs: dict[str, Organisation], partnership: Partnership, today: datetime.date, counts: Counter[str]
) -> None:
    for days_ago, kind, first, second, summary, business in place.TIMELINE:
        a, b = sorted([orgs[first], orgs[second]], key=lambda o: o.pk)
        author = User.objects.filter(memberships__organisation=orgs[first]).order_by("pk").first()
        _, created = Interaction.objects.get_or_create(
            organisation_a=a,
            organisation_b=b,
            occurred_on=today - datetime.timedelta(days=days_ago),
            summary=summary,
            defaults={"kind": kind, "partnership": partnership if business else None, "created_by": author},
        )
        if created:
            counts["timeline entries added"] += 1


@transaction.atomic
def load_demo_place() -> dict[str, int]:
    """Create whatever part of the demo place is missing; return what was added."""
    counts: Counter[str] = Counter()
    today = timezone.localdate()
    areas = {}
    for name in place.AREAS:
        areas[name], _ = Area.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})
    admin_email, admin_name = place.PLATFORM_ADMIN
    _user(admin_email, admin_name, counts, is_staff=True, is_superuser=True)

    orgs: dict[str, Organisation] = {}
    vcse_index = 0
    for spec in place.ORGANISATIONS:
        org = orgs[spec.slug] = _organisation(spec, areas, counts)
        for email, full_name, role in spec.people:
            _membership(_user(email, full_name, counts), org, role, counts)
        if spec.kind == "vcse":
            _passport(org, PASSPORT_PATTERNS[vcse_index % len(PASSPORT_PATTERNS)], today, counts)
            vcse_index += 1
    for email, full_name, slug, role in place.EXTRA_PEOPLE:
        _membership(_user(email, full_name, counts), orgs[slug], role, counts)
    for email, full_name in place.LIVED_EXPERIENCE:
        _user(email, full_name, counts)

    partnership = _partnership(orgs, counts)
    _timeline(orgs, partnership, today, counts)
    counts.update(load_demo_commissioning(orgs=orgs, partnership=partnership, today=today))
    counts.update(load_demo_agreements(orgs=orgs, partnership=partnership, today=today))
    counts.update(load_demo_together(orgs=orgs, partnership=partnership, today=today))
    totals = {
        "organisations": Organisation.objects.count(),
        "people": User.objects.count(),
        "partnership members": PartnershipOrganisation.objects.filter(partnership=partnership).count()
        + PartnershipPerson.objects.filter(partnership=partnership).count(),
        "passport documents": PassportDocument.objects.count(),
        "timeline entries": Interaction.objects.count(),
        "opportunities": Opportunity.objects.count(),
        "agreements": Agreement.objects.count(),
    }
    return {**dict(counts), **{f"in total, {k}": v for k, v in totals.items()}}
