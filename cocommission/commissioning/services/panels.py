"""Panels: who sits on them, whether the mix of voices holds, and conflicts of interest.

Scores and moderation live in services/panel_scoring.py. The balance rule (a VCSE member, a
statutory member and, when the opportunity asks for it, someone with lived experience) is checked
by transitions.move_opportunity before scoring opens, and by removals afterwards so that a panel
cannot become unbalanced while it is scoring.
"""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from cocommission.accounts.models import User
from cocommission.core import audit
from cocommission.organisations.models import Membership, Organisation

from ..models import Application, ConflictDeclaration, Opportunity, Panel, PanelMember, ScoreSheet
from ..routes import State

Sector = PanelMember.Sector

# Once the decision is made the panel, its declarations and its scores are part of the record.
FINISHED_STATES = frozenset({State.DECIDED, State.STANDSTILL, State.AWARDED, State.CANCELLED})
# The states in which panel members score: SCORING after an open call, ASSESSING on direct routes.
SCORING_STATES = frozenset({State.SCORING, State.ASSESSING})

NO_MEMBERS = "The panel has no members."
NEEDS_VCSE = "The panel needs at least one VCSE member."
NEEDS_STATUTORY = "The panel needs at least one statutory member."
NEEDS_LIVED_EXPERIENCE = "The panel needs at least one person with lived experience."


def balance_problems_for(sectors: Collection[str], *, lived_experience_required: bool) -> list[str]:
    """What a panel whose members sit for these sectors is missing, in plain English."""
    problems = []
    if not sectors:
        problems.append(NO_MEMBERS)
    if Sector.VCSE not in sectors:
        problems.append(NEEDS_VCSE)
    if Sector.STATUTORY not in sectors:
        problems.append(NEEDS_STATUTORY)
    if lived_experience_required and Sector.LIVED_EXPERIENCE not in sectors:
        problems.append(NEEDS_LIVED_EXPERIENCE)
    return problems


def panel_balance_problems(opportunity: Opportunity) -> list[str]:
    """What stops the panel scoring: empty when it has every voice the opportunity needs."""
    sectors = set(PanelMember.objects.filter(panel__opportunity=opportunity).values_list("sector", flat=True))
    return balance_problems_for(sectors, lived_experience_required=opportunity.lived_experience_on_panel)


def on_scoring_opened(opportunity: Opportunity, *, actor: User) -> None:
    """Stamp the panel with the moment scoring opened (called inside move_opportunity)."""
    panel, _ = Panel.objects.get_or_create(opportunity=opportunity)
    before = audit.snapshot(panel, ["scoring_opened_at"])
    panel.scoring_opened_at = timezone.now()
    panel.save(update_fields=["scoring_opened_at", "updated_at"])
    audit.record_update(actor=actor, instance=panel, before=before, **_scope(opportunity))


def _scope(opportunity: Opportunity) -> dict[str, int | None]:
    return {"organisation_id": opportunity.funder_id, "partnership_id": opportunity.partnership_id}


def _lock_opportunity(opportunity: Opportunity) -> Opportunity:
    return Opportunity.objects.select_for_update().get(pk=opportunity.pk)


def _check_panel_can_change(opportunity: Opportunity) -> None:
    if opportunity.state in FINISHED_STATES:
        raise ValidationError(
            f"The panel cannot change now: this opportunity is {State(opportunity.state).label.lower()}.",
            code="finished",
        )


# Statutory and VCSE seats are taken by someone from such an organisation, so nobody can make
# the panel look balanced by ticking a box.
_ORGANISATION_KIND_FOR: dict[str, str] = {
    Sector.STATUTORY: Organisation.Kind.STATUTORY,
    Sector.VCSE: Organisation.Kind.VCSE,
}
_SECTOR_WORDS: dict[str, str] = {Sector.STATUTORY: "statutory", Sector.VCSE: "VCSE"}


def _seat_organisation(*, user: User, sector: str, organisation: Organisation | None) -> Organisation | None:
    """The organisation someone sits for, checked against the sector (the balance rule depends on
    it being honest). Left empty for a statutory or VCSE seat, it is the one such organisation
    they belong to."""
    if sector not in Sector.values:
        raise ValidationError({"sector": "Choose the sector they sit for"}, code="sector")
    if sector == Sector.LIVED_EXPERIENCE:
        if organisation is not None:
            raise ValidationError(
                {
                    "organisation": "Leave the organisation empty for someone with lived experience: they speak for "
                    "themselves, not for an organisation"
                },
                code="organisation",
            )
        return None
    needed_kind = _ORGANISATION_KIND_FOR.get(sector)
    if organisation is None:
        if needed_kind is None:
            return None
        theirs = list(Organisation.objects.filter(memberships__user=user, kind=needed_kind).order_by("name")[:2])
        if not theirs:
            raise ValidationError(
                {
                    "organisation": f"{user} is not a member of any {_SECTOR_WORDS[sector]} organisation here. "
                    "Choose the sector they sit for, or ask them to join their organisation first"
                },
                code="organisation",
            )
        if len(theirs) > 1:
            raise ValidationError(
                {
                    "organisation": f"{user} belongs to more than one {_SECTOR_WORDS[sector]} organisation. "
                    "Choose the one they sit for"
                },
                code="choose_organisation",
            )
        return theirs[0]
    if needed_kind is not None and organisation.kind != needed_kind:
        raise ValidationError(
            {
                "organisation": f"{organisation.name} is not a {_SECTOR_WORDS[sector]} organisation. Choose the "
                "organisation they sit for, or the sector it belongs to"
            },
            code="organisation",
        )
    if not Membership.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": f"{user} is not a member of {organisation.name}. Choose an organisation they belong to"},
            code="organisation",
        )
    return organisation


@transaction.atomic
def add_panel_member(
    *,
    actor: User,
    opportunity: Opportunity,
    email: str,
    sector: str,
    organisation: Organisation | None = None,
    is_chair: bool = False,
) -> PanelMember:
    """Add someone with an account to the opportunity's panel, with the sector they sit for and
    (except for lived experience) the organisation they come from.

    Members can join until the decision is made, including while the panel scores (a late
    member still declares and scores like everyone else). Co-chairs are allowed.
    """
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise ValidationError(
            {"email": "There is no account with that email address. Ask them to create an account first"},
            code="no_account",
        )
    opportunity = _lock_opportunity(opportunity)
    _check_panel_can_change(opportunity)
    panel, _ = Panel.objects.get_or_create(opportunity=opportunity)
    if PanelMember.objects.filter(panel=panel, user=user).exists():
        raise ValidationError({"email": f"{user} is already on this panel"}, code="duplicate")
    organisation = _seat_organisation(user=user, sector=sector, organisation=organisation)
    member = PanelMember.objects.create(
        panel=panel, user=user, sector=sector, organisation=organisation, is_chair=is_chair
    )
    audit.record_create(actor=actor, instance=member, **_scope(opportunity))
    return member


@transaction.atomic
def remove_panel_member(*, actor: User, member: PanelMember) -> None:
    """Take someone off the panel.

    Refused once their part is on the record (submitted scores or a declared conflict: the
    decision and any notice must show them), and, while the panel scores, when the panel
    would lose the last voice of a sector it needs.
    """
    opportunity = _lock_opportunity(member.panel.opportunity)
    _check_panel_can_change(opportunity)
    try:
        member = PanelMember.objects.select_for_update().select_related("user").get(pk=member.pk)
    except PanelMember.DoesNotExist as exc:
        raise ValidationError("They are no longer on this panel.", code="gone") from exc
    if ScoreSheet.objects.filter(member=member, submitted_at__isnull=False).exists():
        raise ValidationError(
            f"{member.user} has submitted scores, so they stay on the panel: the decision record needs them.",
            code="has_scores",
        )
    if ConflictDeclaration.objects.filter(member=member, has_conflict=True).exists():
        raise ValidationError(
            f"{member.user} has declared a conflict of interest, so they stay on the panel: the declaration and "
            "how it was managed are part of the decision record.",
            code="has_conflict",
        )
    if opportunity.state in SCORING_STATES:
        others = PanelMember.objects.filter(panel_id=member.panel_id).exclude(pk=member.pk)
        problems = balance_problems_for(
            set(others.values_list("sector", flat=True)),
            lived_experience_required=opportunity.lived_experience_on_panel,
        )
        if problems:
            raise ValidationError(
                f"{member.user} cannot leave while the panel is scoring: without them, "
                f"{' '.join(p[0].lower() + p[1:] for p in problems)} Add someone first.",
                code="unbalanced",
            )
    audit.record_delete(actor=actor, instance=member, **_scope(opportunity))
    member.delete()


def _check_application_on_panel(member: PanelMember, application: Application) -> None:
    if application.opportunity_id != member.panel.opportunity_id:
        raise ValidationError("This application is not for the opportunity your panel is assessing.", code="other")
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError("This application has not been submitted, so the panel does not assess it.")


def _lock_member(member: PanelMember) -> PanelMember:
    try:
        return (
            PanelMember.objects.select_for_update(of=("self",))
            .select_related("panel__opportunity", "user")
            .get(pk=member.pk)
        )
    except PanelMember.DoesNotExist as exc:
        raise ValidationError("You are no longer on this panel.", code="gone") from exc


@transaction.atomic
def declare_interests(
    *,
    actor: User,
    member: PanelMember,
    application: Application,
    has_conflict: bool,
    details: str = "",
    management: str = "",
) -> ConflictDeclaration:
    """Record a panel member's own declaration for one application: conflict or not, and how a
    conflict is managed.

    A declaration can change until the member submits their scores for that application; a
    conflicted member's draft scores are discarded, since they may not score it.
    """
    member = _lock_member(member)
    if member.user_id != actor.pk:
        raise ValidationError("Panel members declare their own interests.", code="not_yours")
    opportunity = member.panel.opportunity
    if opportunity.state in FINISHED_STATES:
        raise ValidationError(
            f"Declarations are closed: this opportunity is {State(opportunity.state).label.lower()}.", code="finished"
        )
    _check_application_on_panel(member, application)
    details, management = details.strip(), management.strip()
    if has_conflict:
        errors = {}
        if not details:
            errors["details"] = "Describe the conflict of interest"
        if not management:
            errors["management"] = "Say how the conflict is managed, for example that you will not score it"
        if errors:
            raise ValidationError(errors, code="incomplete")
    sheet = ScoreSheet.objects.filter(member=member, application=application).first()
    if sheet is not None and sheet.submitted_at is not None:
        raise ValidationError(
            "You have submitted your scores for this application, so your declaration cannot change now. "
            "Tell the chair of the panel: they can record it in the moderation notes.",
            code="submitted",
        )
    declaration = ConflictDeclaration.objects.filter(member=member, application=application).first()
    if declaration is None:
        declaration = ConflictDeclaration.objects.create(
            member=member, application=application, has_conflict=has_conflict, details=details, management=management
        )
        audit.record_create(actor=actor, instance=declaration, **_scope(opportunity))
    else:
        before = audit.snapshot(declaration, ["has_conflict", "details", "management"])
        declaration.has_conflict, declaration.details, declaration.management = has_conflict, details, management
        declaration.save()
        audit.record_update(actor=actor, instance=declaration, before=before, **_scope(opportunity))
    if has_conflict and sheet is not None:
        audit.record_delete(actor=actor, instance=sheet, **_scope(opportunity))
        sheet.delete()
    return declaration
