"""Guards every agreement write goes through: lock the row, then check the state allows it."""

from django.core.exceptions import ValidationError

from ..models import Agreement

SIGNED_MESSAGE = "This agreement has been signed. To change it, propose a variation that both parties approve."
CLOSED_MESSAGE = "This agreement has ended, so it cannot be changed."


def lock(agreement: Agreement) -> Agreement:
    """The agreement's row, locked for the rest of the transaction, freshly read."""
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related("funder", "provider", "consortium")
        .get(pk=agreement.pk)
    )


def ensure_open_for_editing(agreement: Agreement) -> None:
    """Terms, budget, grant-or-contract answers and indexation change freely until the first
    signature; after that only a variation may change them."""
    if agreement.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        raise ValidationError(CLOSED_MESSAGE)
    if not agreement.is_open_for_editing:
        raise ValidationError(SIGNED_MESSAGE)


def ensure_signed_and_running(agreement: Agreement) -> None:
    """Variations change an agreement both parties have signed and that has not ended."""
    if agreement.status in (Agreement.Status.ENDED, Agreement.Status.TERMINATED):
        raise ValidationError(CLOSED_MESSAGE)
    if not agreement.is_signed:
        raise ValidationError("Both parties must sign the agreement before it can be varied. Until then, edit it.")
