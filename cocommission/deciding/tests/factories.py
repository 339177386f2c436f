"""Factories for meetings and decision moments. Add new factories at the END of this file."""

import datetime

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cocommission.deciding.models import Contribution, DecisionMoment, DecisionOption, Meeting, Response, Voice
from cocommission.partnerships.tests.factories import PartnershipFactory


class MeetingFactory(DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Partnership board {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=7))
    location = "Brackenmoor Community Hall"


class ContributionFactory(DjangoModelFactory[Contribution]):
    class Meta:
        model = Contribution

    meeting = factory.SubFactory(MeetingFactory)
    kind = Contribution.Kind.QUESTION
    text = "How will people without the internet hear about the new service?"
    voice = Voice.VCSE


class DecisionMomentFactory(DjangoModelFactory[DecisionMoment]):
    class Meta:
        model = DecisionMoment

    partnership = factory.SubFactory(PartnershipFactory)
    subject = DecisionMoment.Subject.PRIORITY
    title = factory.Sequence(lambda n: f"Agree priority {n}")
    question = "Should the partnership agree this priority?"
    method = DecisionMoment.Method.BALANCED_VOTE


class DecisionOptionFactory(DjangoModelFactory[DecisionOption]):
    class Meta:
        model = DecisionOption

    moment = factory.SubFactory(DecisionMomentFactory)
    position = factory.Sequence(lambda n: n + 1)
    label = factory.Sequence(lambda n: f"Option {n}")


class ResponseFactory(DjangoModelFactory[Response]):
    class Meta:
        model = Response

    moment = factory.SubFactory(DecisionMomentFactory)
    voice = Voice.VCSE
    position = Response.Position.VOTE


# --- Meetings: attendance and agenda items.

from cocommission.deciding.models import AgendaItem, Attendance  # noqa: E402


class AttendanceFactory(DjangoModelFactory[Attendance]):
    """Someone at a meeting. Pass the organisation and voice they came for."""

    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory("cocommission.accounts.tests.factories.UserFactory")
    voice = Voice.VCSE


class AgendaItemFactory(DjangoModelFactory[AgendaItem]):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Agenda item {n}")
