"""Reads for the passport: what an organisation has, what is missing and what expires soon."""

import datetime
from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Count, F, QuerySet, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from ..models import Organisation, PassportDocument
from ..uploads import LABELS_BY_CONTENT_TYPE

EXPIRY_WARNING_DAYS = 60
KINDS = list(PassportDocument.Kind)


class Status(StrEnum):
    MISSING = "missing"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    UP_TO_DATE = "up_to_date"


@dataclass(frozen=True)
class ExpiryStatus:
    status: Status
    days_left: int | None
    tag_text: str
    tag_class: str


def classify_expiry(expires_on: datetime.date | None, *, today: datetime.date, present: bool = True) -> ExpiryStatus:
    """How a document stands today.

    A document is good through its expiry date and expired the day after. Within
    EXPIRY_WARNING_DAYS of the date (the date itself included) it "expires in N days".
    A document with no date (a governing document) stays up to date.
    """
    if not present:
        return ExpiryStatus(Status.MISSING, None, "Missing", "govuk-tag--red")
    if expires_on is None:
        return ExpiryStatus(Status.UP_TO_DATE, None, "Up to date", "govuk-tag--green")
    days_left = (expires_on - today).days
    if days_left < 0:
        return ExpiryStatus(Status.EXPIRED, days_left, "Expired", "govuk-tag--red")
    if days_left <= EXPIRY_WARNING_DAYS:
        if days_left == 0:
            text = "Expires today"
        elif days_left == 1:
            text = "Expires in 1 day"
        else:
            text = f"Expires in {days_left} days"
        return ExpiryStatus(Status.EXPIRING, days_left, text, "govuk-tag--yellow")
    return ExpiryStatus(Status.UP_TO_DATE, days_left, "Up to date", "govuk-tag--green")


@dataclass
class PassportRow:
    kind: str
    label: str
    document: PassportDocument | None
    status: ExpiryStatus
    previous: list[PassportDocument] = field(default_factory=list)
    previous_count: int = 0

    @property
    def file_type(self) -> str:
        return LABELS_BY_CONTENT_TYPE.get(self.document.content_type, "") if self.document else ""

    @property
    def more_previous(self) -> bool:
        return self.previous_count > len(self.previous)


@dataclass
class PassportSummary:
    organisation: Organisation
    rows: list[PassportRow]

    def _count(self, *statuses: Status) -> int:
        return sum(1 for row in self.rows if row.status.status in statuses)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def in_place(self) -> int:
        """Documents that are valid today, including those expiring soon."""
        return self._count(Status.UP_TO_DATE, Status.EXPIRING)

    @property
    def expiring(self) -> int:
        return self._count(Status.EXPIRING)

    @property
    def expired(self) -> int:
        return self._count(Status.EXPIRED)

    @property
    def missing(self) -> int:
        return self._count(Status.MISSING)

    @property
    def text(self) -> str:
        """One line for the top of the page, like "4 of 6 documents in place; 1 expires in the
        next 60 days; 1 missing"."""
        verb = "expires" if self.expiring == 1 else "expire"
        parts = [
            f"{self.in_place} of {self.total} documents in place",
            f"{self.expiring} {verb} in the next {EXPIRY_WARNING_DAYS} days",
        ]
        if self.expired:
            parts.append(f"{self.expired} expired")
        parts.append(f"{self.missing} missing")
        return "; ".join(parts)


def _documents(organisation: Organisation) -> QuerySet[PassportDocument]:
    return PassportDocument.objects.filter(organisation=organisation).select_related("uploaded_by")


def passport_summary(*, organisation: Organisation, today: datetime.date | None = None) -> PassportSummary:
    """The six kinds of standing document, each with its current document (or none) and how it
    stands today. One query, whatever the history."""
    today = today or timezone.localdate()
    current = {d.kind: d for d in _documents(organisation).filter(is_current=True)}
    rows = [
        PassportRow(
            kind=kind.value,
            label=kind.label,
            document=current.get(kind.value),
            status=classify_expiry(
                current[kind.value].expires_on if kind.value in current else None,
                today=today,
                present=kind.value in current,
            ),
        )
        for kind in KINDS
    ]
    return PassportSummary(organisation=organisation, rows=rows)


def passport_page(
    *, organisation: Organisation, today: datetime.date | None = None, previous_limit: int = 3
) -> PassportSummary:
    """The passport summary with the latest few previous versions of each kind and how many
    there are in all. Three queries, however many documents the organisation has kept."""
    summary = passport_summary(organisation=organisation, today=today)
    earlier = _documents(organisation).filter(is_current=False)
    latest_earlier = earlier.annotate(
        position=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("created_at").desc(), F("id").desc()])
    ).filter(position__lte=previous_limit)
    by_kind: dict[str, list[PassportDocument]] = {}
    for document in latest_earlier.order_by("kind", "position"):
        by_kind.setdefault(document.kind, []).append(document)
    counts = dict(earlier.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    for row in summary.rows:
        row.previous = by_kind.get(row.kind, [])
        row.previous_count = counts.get(row.kind, 0)
    return summary


def previous_versions(*, organisation: Organisation, kind: str) -> QuerySet[PassportDocument]:
    """Every earlier document of one kind, newest first, for the paginated history page."""
    return _documents(organisation).filter(kind=kind, is_current=False).order_by("-created_at", "-id")
