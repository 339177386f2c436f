"""Scale data: many organisations, members, documents and timeline entries, for benchmarks."""

import datetime
import itertools
import random
from decimal import Decimal

from django.db import transaction

from cocommission.accounts.models import User
from cocommission.organisations.models import Area, Interaction, Membership, Organisation, PassportDocument
from cocommission.partnerships.models import Partnership

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


@transaction.atomic
def generate_agreements(*, count: int, funder: Organisation, provider: Organisation, prefix: str = "scale") -> None:
    """Add `count` active agreements between `funder` and `provider`, ending over the next
    year, each with a variation waiting for the provider, for the agreement list benchmarks."""
    from django.utils import timezone

    from cocommission.agreements.models import Agreement, Variation

    start = Agreement.objects.count()
    today = timezone.localdate()
    now = timezone.now()
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                reference=f"AGR-{prefix.upper()}-{start + i:06d}",
                title=f"Scale agreement {start + i}",
                funder=funder,
                provider=provider,
                status="active",
                agreement_type="grant",
                value=Decimal("30000"),
                term_years=1,
                start_date=today - datetime.timedelta(days=200),
                end_date=today + datetime.timedelta(days=30 + i % 330),
                funder_signed_at=now,
                provider_signed_at=now,
            )
            for i in range(count)
        ]
    )
    Variation.objects.bulk_create(
        [
            Variation(
                agreement=agreement,
                number=1,
                kind="scope",
                reason="Scale test.",
                new_scope="More sessions.",
                funder_approved_at=now,
            )
            for agreement in agreements
        ]
    )


@transaction.atomic
def generate_together(*, count: int, partnership: Partnership, prefix: str = "scale") -> None:
    """Add `count` published stories, priorities, policies, decision moments and past meetings
    (each with an unanswered question) to `partnership`, for the decide-together list benchmarks."""
    from django.utils import timezone

    from cocommission.deciding.models import Contribution, DecisionMoment, Meeting
    from cocommission.needs.models import Policy, Priority, Story

    now = timezone.now()
    Story.objects.bulk_create(
        [
            Story(
                partnership=partnership,
                source="member",
                title=f"{prefix} story {i}",
                text="A scale-test story.",
                consent_partnership=True,
                status="published",
                published_title=f"{prefix} story {i}",
                published_text="A scale-test story.",
                moderated_at=now,
            )
            for i in range(count)
        ]
    )
    Priority.objects.bulk_create(
        [Priority(partnership=partnership, title=f"{prefix} priority {i}", need="A need.") for i in range(count)]
    )
    Policy.objects.bulk_create(
        [
            Policy(
                partnership=partnership,
                name=f"{prefix} policy {i}",
                owner="A department",
                summary="A policy.",
                stage="peak",
                last_reviewed_on=now.date(),
            )
            for i in range(count)
        ]
    )
    DecisionMoment.objects.bulk_create(
        [
            DecisionMoment(
                partnership=partnership,
                subject="design",
                title=f"{prefix} decision {i}",
                question="?",
                method="consensus",
            )
            for i in range(count)
        ]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(partnership=partnership, title=f"{prefix} meeting {i}", starts_at=now - datetime.timedelta(days=30))
            for i in range(count)
        ]
    )
    Contribution.objects.bulk_create(
        [Contribution(meeting=meeting, kind="question", text="A question?", voice="vcse") for meeting in meetings]
    )
