"""Reads for organisations: querysets shaped for the pages that use them."""

from django.db.models import QuerySet

from cocommission.accounts.models import User

from ..models import Membership


def memberships_for_user(*, user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")
