"""The only door to opportunities, applications and panels.

Each helper returns the object or raises Http404 (it does not exist, or this person may not
know it does) or PermissionDenied (they can see it but not do this).
"""

from enum import StrEnum
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.organisations.models import Membership, Organisation
from cocommission.partnerships.models import PartnershipPerson

from .models import (
    Application,
    ConflictDeclaration,
    ConsortiumMember,
    Criterion,
    Opportunity,
    OpportunityOutcome,
    PanelMember,
    Question,
    Representation,
    ScoreSheet,
)
from .routes import State

PartT = TypeVar("PartT", Criterion, Question, OpportunityOutcome)


class OppAction(StrEnum):
    VIEW = "view"  # the public page: anyone once it is no longer a draft
    MANAGE = "manage"  # edit, move through the route's steps, set up the panel, decide, notices
    PROPOSE_OUTCOME = "propose_outcome"  # partnership members and the funder
    APPLY = "apply"  # members of an organisation (eligibility is checked by the service)


def statutory_organisations_of(user: User) -> QuerySet[Organisation]:
    """Statutory organisations the person belongs to: they can open opportunities as commissioners."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, kind=Organisation.Kind.STATUTORY)


def coordinated_partnership_ids(user: User) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        PartnershipPerson.objects.filter(user=user, role=PartnershipPerson.Role.COORDINATOR).values_list(
            "partnership_id", flat=True
        )
    )


def can_manage(user: User, opportunity: Opportunity) -> bool:
    """Commissioners of the funder, and the coordinator of the opportunity's partnership."""
    if not user.is_authenticated:
        return False
    if Membership.objects.filter(user=user, organisation_id=opportunity.funder_id).exists():
        return True
    return opportunity.partnership_id is not None and opportunity.partnership_id in coordinated_partnership_ids(user)


def can_propose_outcome(user: User, opportunity: Opportunity) -> bool:
    if can_manage(user, opportunity):
        return True
    if opportunity.partnership_id is None or not user.is_authenticated:
        return False
    partnership_id = opportunity.partnership_id
    return (
        PartnershipPerson.objects.filter(user=user, partnership_id=partnership_id).exists()
        or Membership.objects.filter(user=user, organisation__partnership_seats__partnership_id=partnership_id).exists()
    )


def access_opportunity(*, user: User, slug: str, action: OppAction | str) -> Opportunity:
    try:
        opportunity = Opportunity.objects.select_related("funder", "partnership").get(slug=slug)
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such opportunity.") from exc
    action = OppAction(action)
    manager = can_manage(user, opportunity)
    if opportunity.state == State.DRAFT and not manager and not can_propose_outcome(user, opportunity):
        raise Http404("No such opportunity.")
    if action == OppAction.VIEW:
        return opportunity
    if action == OppAction.MANAGE and not manager:
        raise PermissionDenied
    if action == OppAction.PROPOSE_OUTCOME and not can_propose_outcome(user, opportunity):
        raise PermissionDenied
    if action == OppAction.APPLY and not user.is_authenticated:
        raise PermissionDenied
    return opportunity


def applicant_organisation_ids(application: Application) -> set[int]:
    """The applicant and every consortium member that has not declined."""
    ids = {application.organisation_id}
    if application.consortium is not None:
        ids |= set(application.consortium.members.exclude(status="declined").values_list("organisation_id", flat=True))
    return ids


def is_applicant(user: User, application: Application) -> bool:
    if not user.is_authenticated:
        return False
    return Membership.objects.filter(user=user, organisation_id__in=applicant_organisation_ids(application)).exists()


def panel_member_for(user: User, opportunity: Opportunity) -> PanelMember | None:
    if not user.is_authenticated:
        return None
    return PanelMember.objects.filter(panel__opportunity=opportunity, user=user).select_related("panel").first()


def access_application(*, user: User, pk: int, action: str = "view") -> Application:
    """Applicants see and (while a draft) edit their application; the funder's commissioners
    and the panel see submitted ones. Everyone else gets a 404.

    Actions: "view", "edit" (applicants, draft only is checked by the service), "assess"
    (managers and panel members, submitted only).
    """
    try:
        application = Application.objects.select_related(
            "opportunity", "opportunity__funder", "organisation", "consortium"
        ).get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404("No such application.") from exc
    applicant = is_applicant(user, application)
    submitted = application.status == Application.Status.SUBMITTED or application.submitted_at is not None
    assessor = submitted and (
        can_manage(user, application.opportunity) or panel_member_for(user, application.opportunity) is not None
    )
    if action == "edit":
        if not applicant:
            raise Http404("No such application.")
        return application
    if action == "assess":
        if not assessor:
            raise PermissionDenied if applicant else Http404("No such application.")
        return application
    if not (applicant or assessor):
        raise Http404("No such application.")
    return application


def opportunities_visible_to(user: User) -> Q:
    """Published opportunities for everyone; drafts for the people who manage or co-design them."""
    visible = ~Q(state=State.DRAFT)
    if not user.is_authenticated:
        return visible
    funders = Membership.objects.filter(user=user).values("organisation_id")
    partnerships = PartnershipPerson.objects.filter(user=user).values("partnership_id")
    seats = Membership.objects.filter(user=user).values("organisation__partnership_seats__partnership_id")
    return visible | Q(funder_id__in=funders) | Q(partnership_id__in=partnerships) | Q(partnership_id__in=seats)


def can_change_application(user: User, application: Application) -> bool:
    """Members of the organisation that started an application write its answers and keep its
    consortium's accountability matrix; other consortium members read them."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, organisation_id=application.organisation_id).exists()
    )


def access_own_application(*, user: User, pk: int) -> Application:
    """An application the person may change. Other applicants (consortium members) get a 403;
    everyone else, the funder included, a 404 as for access_application(action="edit")."""
    application = access_application(user=user, pk=pk, action="edit")
    if not can_change_application(user, application):
        raise PermissionDenied
    return application


def access_consortium_member(*, user: User, application_pk: int, pk: int) -> ConsortiumMember:
    """A consortium member's place, for its organisation's admins to confirm or decline.

    People who cannot see the application get a 404; applicants who are not an admin of that
    member organisation get a 403.
    """
    application = access_application(user=user, pk=application_pk, action="edit")
    if application.consortium_id is None:
        raise Http404("No such consortium member.")
    try:
        member = ConsortiumMember.objects.select_related("organisation", "consortium").get(
            pk=pk, consortium_id=application.consortium_id
        )
    except ConsortiumMember.DoesNotExist as exc:
        raise Http404("No such consortium member.") from exc
    is_admin = Membership.objects.filter(
        user=user, organisation_id=member.organisation_id, role=Membership.Role.ADMIN
    ).exists()
    if not is_admin:
        raise PermissionDenied
    return member


def access_opportunity_part(*, opportunity: Opportunity, model: type[PartT], pk: int) -> PartT:
    """A criterion, question or outcome of this opportunity (404 when it belongs to another).
    Load the opportunity through access_opportunity first: that decides who may act."""
    try:
        return model._default_manager.get(opportunity=opportunity, pk=pk)
    except model.DoesNotExist as exc:
        raise Http404("No such item.") from exc


# ---- Panels: set-up, scoring and moderation ---------------------------------------------------


class PanelRefusal(PermissionDenied):
    """A refusal with a reason the person can act on: panel pages show it on their 403 page."""


def can_moderate(user: User, opportunity: Opportunity) -> bool:
    """Commissioners who manage the opportunity, and the chair (or co-chairs) of its panel."""
    if can_manage(user, opportunity):
        return True
    return (
        user.is_authenticated
        and PanelMember.objects.filter(panel__opportunity=opportunity, user=user, is_chair=True).exists()
    )


def hidden_scores_reason(user: User, application: Application) -> str | None:
    """Why this person may not see the panel's scores for the application, or None when they may.

    Panel members see them only after submitting their own and never when conflicted; commissioners
    who are not on the panel see them as soon as they exist.
    """
    member = panel_member_for(user, application.opportunity)
    if member is None:
        return None
    if ConflictDeclaration.objects.filter(member=member, application=application, has_conflict=True).exists():
        return "You declared a conflict of interest with this application, so you cannot see the panel's scores for it."
    if not ScoreSheet.objects.filter(member=member, application=application, submitted_at__isnull=False).exists():
        return "The panel's scores stay hidden until you submit your own scores for this application."
    return None


def access_panel_seat(*, user: User, slug: str) -> tuple[Opportunity, PanelMember]:
    """The opportunity and the person's own seat on its panel (403 with a reason if they have none)."""
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.VIEW)
    member = panel_member_for(user, opportunity)
    if member is None:
        raise PanelRefusal("You are not on the panel for this opportunity, so you cannot declare interests or score.")
    return opportunity, member


def access_panel_member(*, user: User, slug: str, pk: int) -> tuple[Opportunity, PanelMember]:
    """A member of the opportunity's panel, for the people who manage the opportunity."""
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.MANAGE)
    member = (
        PanelMember.objects.filter(panel__opportunity=opportunity, pk=pk)
        .select_related("user", "organisation", "panel")
        .first()
    )
    if member is None:
        raise Http404("No such panel member.")
    return opportunity, member


def access_panel_application(*, opportunity: Opportunity, pk: int) -> Application:
    """A submitted application to this opportunity: the only ones a panel sees (404 otherwise).

    Call it after access_panel_seat or access_moderation has checked the person."""
    application = (
        Application.objects.filter(opportunity=opportunity, pk=pk, status=Application.Status.SUBMITTED)
        .select_related("organisation", "consortium", "opportunity")
        .first()
    )
    if application is None:
        raise Http404("No such application.")
    return application


def access_moderation(*, user: User, slug: str) -> Opportunity:
    """The opportunity, for the people who agree the panel's scores: managers and the chair."""
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.VIEW)
    if not can_moderate(user, opportunity):
        raise PanelRefusal("Only the commissioners and the chair of the panel can see the ranking and agree scores.")
    return opportunity


def can_see_decision_record(user: User, opportunity: Opportunity) -> bool:
    """The decision record (individual scores included) is for the managers and the panel."""
    return can_manage(user, opportunity) or panel_member_for(user, opportunity) is not None


def access_decision_record(*, user: User, slug: str) -> Opportunity:
    """The opportunity whose decision record the person may read: 404 while it is hidden from
    them, 403 for people who can see the opportunity but are neither managers nor panel."""
    opportunity = access_opportunity(user=user, slug=slug, action=OppAction.VIEW)
    if not can_see_decision_record(user, opportunity):
        raise PermissionDenied
    return opportunity


def access_representation(*, user: User, opportunity: Opportunity, pk: int) -> Representation:
    """A representation logged during the opportunity's standstill: managers only."""
    if not can_manage(user, opportunity):
        raise PermissionDenied
    representation = opportunity.representations.filter(pk=pk).first()
    if representation is None:
        raise Http404("No such representation.")
    return representation
