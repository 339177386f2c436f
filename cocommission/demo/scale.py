"""Scale data: many organisations, members, documents and timeline entries, for benchmarks."""

import datetime
import itertools
import random
from decimal import Decimal

from django.db import transaction

from cocommission.accounts.models import User
from cocommission.organisations.models import Area, Interaction, Membership, Organisation, PassportDocument

KINDS = ["statutory", "vcse", "vcse", "vcse", "private", "other"]


@transaction.atomic
def generate(*, organisations: int, seed: int = 7, prefix: str = "scale") -> list[Organisation]:
    """Add `organisations` organisations, each with two members, two passport documents and a
    timeline entry with its neighbour. Bulk inserts, so a few thousand rows take seconds."""
    rng = random.Random(seed)
    areas = [Area.objects.get_or_create(name=f"{prefix} area {i}", slug=f"{prefix}-area-{i}")[0] for i in range(5)]
    start = Organisation.objects.count()
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{prefix.title()} organisation {start + i:05d}",
                slug=f"{prefix}-organisation-{start + i:05d}",
                kind=rng.choice(KINDS),
                legal_form="cio",
                latest_annual_income=Decimal(rng.choice([5_000, 50_000, 500_000, 5_000_000, 50_000_000])),
            )
            for i in range(organisations)
        ]
    )
    Organisation.areas_served.through.objects.bulk_create(
        [
            Organisation.areas_served.through(organisation_id=org.pk, area_id=area.pk)
            for org in orgs
            for area in rng.sample(areas, 2)
        ]
    )
    users = User.objects.bulk_create(
        [
            User(email=f"{prefix}-{org.slug}-{n}@example.org", full_name=f"Person {n} of {org.name}")
            for org in orgs
            for n in range(2)
        ]
    )
    Membership.objects.bulk_create(
        [
            Membership(user=user, organisation=orgs[i // 2], role="admin" if i % 2 == 0 else "member")
            for i, user in enumerate(users)
        ]
    )
    today = datetime.date.today()
    PassportDocument.objects.bulk_create(
        [
            PassportDocument(
                organisation=org,
                kind=kind,
                file=f"passport/{org.pk}/scale-{kind}",
                original_filename=f"{kind}.pdf",
                content_type="application/pdf",
                size_bytes=1024,
                expires_on=today + datetime.timedelta(days=rng.randint(-30, 400)),
            )
            for org in orgs
            for kind in ("governing_document", "safeguarding_policy")
        ]
    )
    Interaction.objects.bulk_create(
        [
            Interaction(
                organisation_a=min(a, b, key=lambda o: o.pk),
                organisation_b=max(a, b, key=lambda o: o.pk),
                kind="note",
                occurred_on=today - datetime.timedelta(days=rng.randint(0, 365)),
                summary="A scale-test note.",
            )
            for a, b in itertools.pairwise(orgs)
        ]
    )
    return orgs


@transaction.atomic
def generate_opportunities(*, count: int, funder: Organisation, prefix: str = "scale") -> None:
    """Add `count` open grants from `funder`, each with one submitted application from a
    different organisation, for the opportunity and application list benchmarks."""
    from django.utils import timezone

    from cocommission.commissioning.models import Application, Opportunity

    start = Opportunity.objects.count()
    now = timezone.now()
    opportunities = Opportunity.objects.bulk_create(
        [
            Opportunity(
                funder=funder,
                reference=f"{prefix.upper()}-{start + i:06d}",
                slug=f"{prefix}-opportunity-{start + i:06d}",
                title=f"Scale opportunity {start + i}",
                problem="A scale-test problem.",
                total_budget=Decimal("50000"),
                max_award=Decimal("10000"),
                route="grant",
                route_reason="Scale test.",
                state="open",
                opens_on=now.date() - datetime.timedelta(days=7),
                closes_at=now + datetime.timedelta(days=21),
            )
            for i in range(count)
        ]
    )
    applicants = list(Organisation.objects.exclude(pk=funder.pk).order_by("pk")[:count])
    Application.objects.bulk_create(
        [
            Application(
                opportunity=opportunity,
                organisation=applicant,
                status="submitted",
                amount_requested=Decimal("5000"),
                total_words=300,
                submitted_at=now,
            )
            for opportunity, applicant in zip(opportunities, applicants, strict=False)
        ]
    )
