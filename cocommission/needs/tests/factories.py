"""Factories for needs tests. Add new factories at the END of this file."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cocommission.needs.models import Indicator, IndicatorValue, Policy, Priority, Stage, Story
from cocommission.partnerships.tests.factories import PartnershipFactory


class StoryFactory(DjangoModelFactory[Story]):
    """A member's story, waiting for moderation; trait `published` for a moderated one."""

    class Meta:
        model = Story

    partnership = factory.SubFactory(PartnershipFactory)
    source = Story.Source.MEMBER
    title = factory.Sequence(lambda n: f"Waiting for help {n}")
    text = "I waited eleven weeks for a call back. My neighbour drove me to the drop-in in the end."
    place = "East Brackenmoor"
    population_group = "Older people"
    consent_partnership = True

    class Params:
        published = factory.Trait(
            status=Story.Status.PUBLISHED,
            published_title=factory.LazyAttribute(lambda o: o.title),
            published_text=factory.LazyAttribute(lambda o: o.text),
            moderated_at=factory.LazyFunction(timezone.now),
        )


class IndicatorFactory(DjangoModelFactory[Indicator]):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Loneliness in adults {n}")
    slug = factory.Sequence(lambda n: f"loneliness-in-adults-{n}")
    source = "Community life survey"
    unit = "percent"


class IndicatorValueFactory(DjangoModelFactory[IndicatorValue]):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    geography_code = "E06000001"
    geography_name = "Brackenmoor"
    period = factory.Sequence(lambda n: str(2015 + n))
    value = Decimal("21.5")


class PriorityFactory(DjangoModelFactory[Priority]):
    class Meta:
        model = Priority

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Fewer people lonely and isolated {n}")
    need = "Older people in the east of the city are lonely and cannot reach the services that exist."


class PolicyFactory(DjangoModelFactory[Policy]):
    class Meta:
        model = Policy

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood health {n}")
    owner = "Department of Health and Social Care"
    summary = "Care closer to home, organised around neighbourhoods."
    stage = Stage.PEAK
    last_reviewed_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
