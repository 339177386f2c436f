import factory
from factory.django import DjangoModelFactory

from cocommission.accounts.tests.factories import UserFactory
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson, Sector


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Partnership {n}")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    place = "Brackenmoor"


class PartnershipOrganisationFactory(DjangoModelFactory[PartnershipOrganisation]):
    class Meta:
        model = PartnershipOrganisation

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory("cocommission.organisations.tests.factories.OrganisationFactory")
    sector = Sector.VCSE


class PartnershipPersonFactory(DjangoModelFactory[PartnershipPerson]):
    class Meta:
        model = PartnershipPerson

    partnership = factory.SubFactory(PartnershipFactory)
    user = factory.SubFactory(UserFactory)
    role = PartnershipPerson.Role.MEMBER

    class Params:
        coordinator = factory.Trait(role=PartnershipPerson.Role.COORDINATOR)
