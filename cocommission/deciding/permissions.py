"""The only door to meetings, contributions and decision moments.

Load the partnership first with `partnerships.permissions.access_partnership`; these helpers
never return another partnership's object. Members (the partnership's people and members of
its member organisations) read meetings and closed decisions; the partnership's people
(PartnershipPerson) respond to decision moments; coordinators run meetings and decision moments.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.organisations.models import Membership, Organisation
from cocommission.partnerships.models import Partnership, PartnershipOrganisation, PartnershipPerson
from cocommission.partnerships.permissions import can_see, role_in

from .models import Contribution, DecisionMoment, Meeting, Voice


@dataclass(frozen=True)
class VoiceOf:
    """The voice someone brings to this partnership: the sector of the organisation they
    represent, or lived experience when they represent none."""

    voice: str
    organisation: Organisation | None
    lived_experience: bool


def is_coordinator(user: User, partnership: Partnership) -> bool:
    return role_in(user, partnership) == PartnershipPerson.Role.COORDINATOR


def voice_of(user: User, partnership: Partnership) -> VoiceOf | None:
    """None for someone who is not one of the partnership's people or a member of one of its
    member organisations."""
    if not user.is_authenticated:
        return None
    person = PartnershipPerson.objects.select_related("organisation").filter(partnership=partnership, user=user).first()
    if person is not None and person.organisation_id is None:
        voice = Voice.LIVED_EXPERIENCE if person.lived_experience else Voice.OTHER
        return VoiceOf(voice, None, person.lived_experience)
    organisation_ids = (
        [person.organisation_id]
        if person is not None
        else list(Membership.objects.filter(user=user).values_list("organisation_id", flat=True))
    )
    seat = (
        PartnershipOrganisation.objects.select_related("organisation")
        .filter(partnership=partnership, organisation_id__in=organisation_ids)
        .order_by("organisation__name")
        .first()
    )
    if seat is None:
        return None
    return VoiceOf(seat.sector, seat.organisation, bool(person and person.lived_experience))


def access_meeting(*, user: User, partnership: Partnership, pk: int, action: str = "view") -> Meeting:
    """Actions: "view" and "contribute" (members), "manage" (coordinators)."""
    if not can_see(user, partnership):
        raise Http404("No such meeting.")
    meeting = Meeting.objects.filter(partnership=partnership, pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting.")
    if action == "manage" and not is_coordinator(user, partnership):
        raise PermissionDenied
    if action == "contribute" and voice_of(user, partnership) is None:
        raise PermissionDenied
    return meeting


def access_contribution(*, meeting: Meeting, pk: int) -> Contribution:
    contribution = Contribution.objects.filter(meeting=meeting, pk=pk).first()
    if contribution is None:
        raise Http404("No such contribution.")
    return contribution


def access_decision_moment(*, user: User, partnership: Partnership, pk: int, action: str = "view") -> DecisionMoment:
    """Actions: "view" (members), "respond" (the partnership's people), "manage" (coordinators)."""
    if not can_see(user, partnership):
        raise Http404("No such decision.")
    moment = DecisionMoment.objects.filter(partnership=partnership, pk=pk).first()
    if moment is None:
        raise Http404("No such decision.")
    if action == "manage" and not is_coordinator(user, partnership):
        raise PermissionDenied
    if action == "respond" and not PartnershipPerson.objects.filter(partnership=partnership, user=user).exists():
        raise PermissionDenied
    return moment


def access_pair(*, user: User, slug: str, other_slug: str) -> tuple[Organisation, Organisation]:
    """Two organisations, for the "before you meet" page: members of either may see it."""
    first = Organisation.objects.filter(slug=slug).first()
    second = Organisation.objects.filter(slug=other_slug).first()
    if first is None or second is None or first.pk == second.pk:
        raise Http404("No such organisation.")
    if not user.is_authenticated:
        raise PermissionDenied
    if not Membership.objects.filter(user=user, organisation_id__in=[first.pk, second.pk]).exists():
        raise PermissionDenied
    return first, second


# --- Decision moments: one response, for the coordinator to resolve or record an objection.

from .models import Response  # noqa: E402  (kept with the helper it serves)


def access_response(*, moment: DecisionMoment, pk: int) -> Response:
    """A response to this moment (never another moment's). Who may act on it is the view's
    concern: load the moment with access_decision_moment(action="manage") first."""
    response = Response.objects.select_related("person", "organisation").filter(moment=moment, pk=pk).first()
    if response is None:
        raise Http404("No such response.")
    return response


# --- Meetings: who may add contributions, and a meeting's agenda items and papers.

from .models import AgendaItem, MeetingPaper  # noqa: E402  (kept with the helpers they serve)


def attended(user: User, meeting: Meeting) -> bool:
    """Whether the person's attendance at this meeting is recorded."""
    return bool(user.is_authenticated and meeting.attendances.filter(user=user).exists())


def access_meeting_to_contribute(*, user: User, partnership: Partnership, pk: int) -> Meeting:
    """A meeting the person may add a question, point or follow to: they attended it, or they
    coordinate the partnership."""
    meeting = access_meeting(user=user, partnership=partnership, pk=pk, action="contribute")
    if not (is_coordinator(user, partnership) or attended(user, meeting)):
        raise PermissionDenied
    return meeting


def access_agenda_item(*, meeting: Meeting, pk: int) -> AgendaItem:
    """An item on this meeting's agenda (never another meeting's). Load the meeting with
    access_meeting(action="manage") first."""
    item = AgendaItem.objects.filter(meeting=meeting, pk=pk).first()
    if item is None:
        raise Http404("No such agenda item.")
    return item


def access_meeting_paper(*, meeting: Meeting, pk: int) -> MeetingPaper:
    """A paper of this meeting (never another meeting's). Load the meeting with access_meeting
    first: "view" to read it, "manage" to remove it."""
    paper = MeetingPaper.objects.filter(meeting=meeting, pk=pk).first()
    if paper is None:
        raise Http404("No such paper.")
    return paper
