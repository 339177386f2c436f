from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from cocommission.accounts.tests.factories import UserFactory
from cocommission.organisations.models import Area, Interaction, Membership, Organisation


class AreaFactory(DjangoModelFactory[Area]):
    class Meta:
        model = Area
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Area {n}")
    slug = factory.Sequence(lambda n: f"area-{n}")


class OrganisationFactory(DjangoModelFactory[Organisation]):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = Organisation.Kind.VCSE
    legal_form = Organisation.LegalForm.CIO
    latest_annual_income = Decimal("85000")
    public_email = factory.LazyAttribute(lambda o: f"hello@{o.slug}.example.org")

    class Params:
        statutory = factory.Trait(
            kind=Organisation.Kind.STATUTORY, legal_form=Organisation.LegalForm.NHS_BODY, latest_annual_income=None
        )


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER

    class Params:
        admin = factory.Trait(role=Membership.Role.ADMIN)


class InteractionFactory(DjangoModelFactory[Interaction]):
    """Pass organisation_a and organisation_b with a's id lower than b's."""

    class Meta:
        model = Interaction

    kind = Interaction.Kind.NOTE
    occurred_on = factory.Faker("date_this_year")
    summary = factory.Faker("sentence")
