"""The only door to organisation-owned objects.

Every view, API endpoint and command loads an organisation, a membership, a passport document or
a timeline entry through one of these helpers. Each returns the object or raises: Http404 when
the thing does not exist or the person may not know it exists, PermissionDenied when they can
see it but not do this to it.
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from cocommission.accounts.models import User
from cocommission.partnerships.models import PartnershipPerson

from .models import Invitation, Membership, Organisation, PassportDocument


class OrgAction(StrEnum):
    VIEW = "view"  # the public profile: anyone
    EDIT = "edit"  # change details: organisation admins
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove: organisation admins
    VIEW_MEMBERS = "view_members"  # see who belongs: members
    VIEW_PASSPORT = "view_passport"  # see standing documents: members, platform admins
    MANAGE_PASSPORT = "manage_passport"  # upload and replace documents: members
    VIEW_AUDIT = "view_audit"  # the change history: organisation admins, platform admins


_ADMIN_ONLY = {OrgAction.EDIT, OrgAction.MANAGE_MEMBERS}
_MEMBERS = {OrgAction.VIEW_MEMBERS, OrgAction.MANAGE_PASSPORT}


def role_in(user: User, organisation: Organisation) -> str | None:
    """The person's role in the organisation, or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).values_list("role", flat=True).first()


def is_platform_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can(user: User, organisation: Organisation, action: OrgAction) -> bool:
    if action == OrgAction.VIEW:
        return True
    role = role_in(user, organisation)
    if action in _ADMIN_ONLY:
        return role == Membership.Role.ADMIN
    if action in _MEMBERS:
        return role is not None
    if action == OrgAction.VIEW_PASSPORT:
        return role is not None or is_platform_admin(user)
    if action == OrgAction.VIEW_AUDIT:
        return role == Membership.Role.ADMIN or is_platform_admin(user)
    return False


def access_organisation(*, user: User, slug: str, action: OrgAction | str) -> Organisation:
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation.") from exc
    if not can(user, organisation, OrgAction(action)):
        raise PermissionDenied
    return organisation


def access_membership(*, user: User, organisation: Organisation, pk: int) -> Membership:
    """A membership of this organisation that the person may change (admins only)."""
    if not can(user, organisation, OrgAction.MANAGE_MEMBERS):
        raise PermissionDenied
    try:
        return Membership.objects.select_related("user").get(pk=pk, organisation=organisation)
    except Membership.DoesNotExist as exc:
        raise Http404("No such member.") from exc


def access_invitation(*, user: User, organisation: Organisation, pk: int) -> Invitation:
    if not can(user, organisation, OrgAction.MANAGE_MEMBERS):
        raise PermissionDenied
    try:
        return Invitation.objects.get(pk=pk, organisation=organisation)
    except Invitation.DoesNotExist as exc:
        raise Http404("No such invitation.") from exc


def access_passport(*, user: User, slug: str, action: OrgAction | str = OrgAction.VIEW_PASSPORT) -> Organisation:
    """An organisation, for its passport pages.

    Unlike the public profile, a passport is private: people who may not see it get a 404, so
    the page does not confirm what an organisation keeps. Those who may see it but not change it
    (platform admins) get a 403 when they try.
    """
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation.") from exc
    if not can(user, organisation, OrgAction.VIEW_PASSPORT):
        raise Http404("No such organisation.")
    if not can(user, organisation, OrgAction(action)):
        raise PermissionDenied
    return organisation


def access_passport_document(*, user: User, pk: int, action: str = "view") -> PassportDocument:
    """A passport document. Outsiders get a 404 so they cannot learn what exists; people who
    may see it but not change it get a 403 for "manage"."""
    try:
        document = PassportDocument.objects.select_related("organisation", "uploaded_by").get(pk=pk)
    except PassportDocument.DoesNotExist as exc:
        raise Http404("No such document.") from exc
    if not can(user, document.organisation, OrgAction.VIEW_PASSPORT) and not assesses_an_application_with(
        user, document
    ):
        raise Http404("No such document.")
    if action != "view" and not can(user, document.organisation, OrgAction.MANAGE_PASSPORT):
        raise PermissionDenied
    return document


def assesses_an_application_with(user: User, document: PassportDocument) -> bool:
    """Whether the person assesses a submitted application this document was attached to: the
    people who manage its opportunity (the funder's commissioners, the partnership's
    coordinators) and its panel. Applicants never upload their passport again, so the people
    deciding read it here. Reading only: changing stays with the organisation's members."""
    if not user.is_authenticated:
        return False
    # Imported here: commissioning builds on organisations, not the other way round.
    from cocommission.commissioning.models import Application

    funders = Membership.objects.filter(user=user).values("organisation_id")
    coordinated = PartnershipPerson.objects.filter(user=user, role=PartnershipPerson.Role.COORDINATOR).values(
        "partnership_id"
    )
    assessors = (
        Q(opportunity__funder_id__in=funders)
        | Q(opportunity__partnership_id__in=coordinated)
        | Q(opportunity__panel__members__user=user)
    )
    submitted = Application.objects.filter(passport_documents=document, status=Application.Status.SUBMITTED)
    return submitted.filter(assessors).exists()


def organisations_of(user: User) -> list[Organisation]:
    """The organisations a person belongs to, for acting on another organisation's timeline."""
    if not user.is_authenticated:
        return []
    return list(Organisation.objects.filter(memberships__user=user).order_by("name"))


def timeline_visibility(user: User, organisation: Organisation) -> Q:
    """The filter of timeline entries on `organisation`'s page that this person may read.

    An entry is only ever seen by members of its two organisations, and by the coordinators of
    the partnership when it is partnership business. So on this organisation's page its own
    members see all its entries, a member of another organisation sees the entries between the
    two, and a coordinator sees the entries filed under a partnership they coordinate.
    Platform admins are not given a way in: these are the partners' own notes.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    # Subqueries rather than joins, so an entry never appears twice.
    mine = Membership.objects.filter(user=user).values("organisation_id")
    coordinated = PartnershipPerson.objects.filter(user=user, role=PartnershipPerson.Role.COORDINATOR).values(
        "partnership_id"
    )
    on_page = Q(organisation_a=organisation) | Q(organisation_b=organisation)
    involved = Q(organisation_a__in=mine) | Q(organisation_b__in=mine) | Q(partnership__in=coordinated)
    return on_page & involved


def timeline_acting_organisations(user: User, organisation: Organisation) -> list[Organisation]:
    """The organisations a person may add a timeline entry for on `organisation`'s page.

    That is every organisation they belong to except this one: an entry is always between two
    organisations, and the page's own members add theirs from the other organisation's page.
    """
    return [o for o in organisations_of(user) if o.pk != organisation.pk]


def access_timeline(*, user: User, slug: str, action: str = "view") -> tuple[Organisation, list[Organisation]]:
    """The organisation whose timeline this is, and the organisations the person may act for.

    Anyone signed in may open a timeline (they see only what `timeline_visibility` allows);
    adding ("add") needs membership of some other organisation, otherwise a 403.
    """
    try:
        organisation = Organisation.objects.get(slug=slug)
    except Organisation.DoesNotExist as exc:
        raise Http404("No such organisation.") from exc
    acting = timeline_acting_organisations(user, organisation)
    if action == "add" and not acting:
        raise PermissionDenied
    return organisation, acting
