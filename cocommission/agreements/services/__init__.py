"""Writes for agreements, one module per part: awards (the draft an award creates), terms and
signing, grant or contract, budgets and overheads, indexation and schedules, variations,
renewals and end-of-funding notices."""

from .awards import agreement_reference, create_draft_agreement_from_award

__all__ = ["agreement_reference", "create_draft_agreement_from_award"]
