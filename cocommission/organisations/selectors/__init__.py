"""Reads for organisations, one module per part of the app."""

from .audit import audit_events_for, describe
from .members import invitation_by_token, members_of, memberships_for_user, pending_invitations
from .organisations import directory_organisations, organisation_profile
from .passport import passport_summary
from .search import SEARCH_MATCHES, organisation_choices, organisation_matches
from .timeline import timeline_for_page

__all__ = [
    "SEARCH_MATCHES",
    "audit_events_for",
    "describe",
    "directory_organisations",
    "invitation_by_token",
    "members_of",
    "memberships_for_user",
    "organisation_choices",
    "organisation_matches",
    "organisation_profile",
    "passport_summary",
    "pending_invitations",
    "timeline_for_page",
]
