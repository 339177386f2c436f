"""Reads for partnerships."""

from django.db.models import QuerySet

from cocommission.accounts.models import User

from .models import PartnershipPerson


def partnership_roles_for_user(*, user: User) -> QuerySet[PartnershipPerson]:
    return PartnershipPerson.objects.filter(user=user).select_related("partnership").order_by("partnership__name")
