"""The payment schedule an agreement keeps in the database.

(First version: the whole value shared by days at the agreement's frequency. The indexation
work replaces the amounts with the uplifted yearly values and adds adjustments for years that
are already paid for.)
"""

from django.db import transaction

from cocommission.accounts.models import User

from .. import schedule as schedule_rules
from ..models import Agreement, Instalment


@transaction.atomic
def recompute_schedule(*, actor: User | None, agreement: Agreement) -> list[Instalment]:
    """Replace the unpaid instalments with ones worked out from the agreement as it is now.

    Paid instalments are never touched. Call it inside the write that changed the terms, so
    the schedule and the terms change together or not at all.
    """
    Instalment.objects.filter(agreement=agreement, paid_on__isnull=True).delete()
    if agreement.start_date is None or agreement.end_date is None:
        return []
    planned = schedule_rules.build_schedule(
        start=agreement.start_date,
        end=agreement.end_date,
        total=agreement.value,
        frequency=agreement.payment_frequency,
    )
    return Instalment.objects.bulk_create(
        Instalment(
            agreement=agreement,
            due_on=item.due_on,
            period_start=item.period_start,
            period_end=item.period_end,
            financial_year=item.financial_year,
            amount=item.amount,
        )
        for item in planned
    )
