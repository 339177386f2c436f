"""What the passport says is missing, expiring and up to date."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cocommission.organisations.models import PassportDocument
from cocommission.organisations.selectors.passport import (
    EXPIRY_WARNING_DAYS,
    Status,
    classify_expiry,
    passport_page,
    passport_summary,
    previous_versions,
)
from cocommission.organisations.tests import passport_files as files

Kind = PassportDocument.Kind
TODAY = datetime.date(2025, 6, 15)


def _days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("expires_on", "status", "text"),
    [
        (None, Status.UP_TO_DATE, "Up to date"),
        (_days(61), Status.UP_TO_DATE, "Up to date"),
        (_days(60), Status.EXPIRING, "Expires in 60 days"),
        (_days(2), Status.EXPIRING, "Expires in 2 days"),
        (_days(1), Status.EXPIRING, "Expires in 1 day"),
        (_days(0), Status.EXPIRING, "Expires today"),
        (_days(-1), Status.EXPIRED, "Expired"),
    ],
)
def test_classify_expiry_on_fixed_dates(expires_on, status, text):
    result = classify_expiry(expires_on, today=TODAY)
    assert (result.status, result.tag_text) == (status, text)


def test_a_missing_document_is_missing_whatever_the_date():
    result = classify_expiry(None, today=TODAY, present=False)
    assert (result.status, result.tag_text, result.tag_class) == (Status.MISSING, "Missing", "govuk-tag--red")


@given(
    today=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2090, 12, 31)),
    offset=st.integers(min_value=-5, max_value=5),
)
def test_the_60_day_boundary_holds_on_any_day(today, offset):
    days_left = EXPIRY_WARNING_DAYS + offset
    result = classify_expiry(today + datetime.timedelta(days=days_left), today=today)
    assert result.days_left == days_left
    if days_left <= EXPIRY_WARNING_DAYS:
        assert result.status == Status.EXPIRING and result.tag_class == "govuk-tag--yellow"
        assert result.tag_text == f"Expires in {days_left} days"
    else:
        assert result.status == Status.UP_TO_DATE and result.tag_class == "govuk-tag--green"


@given(days_left=st.integers(min_value=-3650, max_value=3650))
def test_every_dated_document_is_in_exactly_one_state(days_left):
    result = classify_expiry(_days(days_left), today=TODAY)
    expected = (
        Status.EXPIRED if days_left < 0 else Status.EXPIRING if days_left <= EXPIRY_WARNING_DAYS else Status.UP_TO_DATE
    )
    assert result.status == expected


@pytest.mark.django_db
def test_summary_counts_in_place_expiring_expired_and_missing(org_a, org_b):
    files.make_document(org_a, Kind.GOVERNING_DOCUMENT)
    files.make_document(org_a, Kind.ACCOUNTS, expires_on=_days(200))
    files.make_document(org_a, Kind.SAFEGUARDING, expires_on=_days(30))
    files.make_document(org_a, Kind.INSURANCE, expires_on=_days(-3))
    files.make_document(org_a, Kind.EQUALITY, expires_on=_days(-300), is_current=False)  # history only
    files.make_document(org_b, Kind.DATA_PROTECTION, expires_on=_days(200))  # someone else's

    summary = passport_summary(organisation=org_a, today=TODAY)

    statuses = {row.kind: row.status.status for row in summary.rows}
    assert statuses == {
        Kind.GOVERNING_DOCUMENT: Status.UP_TO_DATE,
        Kind.ACCOUNTS: Status.UP_TO_DATE,
        Kind.SAFEGUARDING: Status.EXPIRING,
        Kind.DATA_PROTECTION: Status.MISSING,
        Kind.EQUALITY: Status.MISSING,
        Kind.INSURANCE: Status.EXPIRED,
    }
    assert [row.kind for row in summary.rows] == list(Kind.values)
    assert (summary.in_place, summary.expiring, summary.expired, summary.missing) == (3, 1, 1, 2)
    assert summary.text == ("3 of 6 documents in place; 1 expires in the next 60 days; 1 expired; 2 missing")


@pytest.mark.django_db
def test_an_empty_passport_is_all_missing(org_a):
    summary = passport_summary(organisation=org_a, today=TODAY)
    assert summary.text == "0 of 6 documents in place; 0 expire in the next 60 days; 6 missing"


@pytest.mark.django_db
def test_passport_page_shows_the_latest_previous_versions_and_counts_them(org_a, django_assert_num_queries):
    for n in range(5):
        files.make_document(org_a, Kind.ACCOUNTS, is_current=False, name=f"accounts-{n}.pdf")
    files.make_document(org_a, Kind.ACCOUNTS, expires_on=_days(100), name="accounts-now.pdf")
    files.make_document(org_a, Kind.EQUALITY, is_current=False, name="equality-old.pdf")

    with django_assert_num_queries(3):
        page = passport_page(organisation=org_a, today=TODAY, previous_limit=3)

    rows = {row.kind: row for row in page.rows}
    accounts = rows[Kind.ACCOUNTS]
    assert accounts.document is not None and accounts.document.original_filename == "accounts-now.pdf"
    assert [d.original_filename for d in accounts.previous] == ["accounts-4.pdf", "accounts-3.pdf", "accounts-2.pdf"]
    assert accounts.previous_count == 5 and accounts.more_previous
    equality = rows[Kind.EQUALITY]
    assert equality.document is None and equality.status.status == Status.MISSING
    assert [d.original_filename for d in equality.previous] == ["equality-old.pdf"] and not equality.more_previous
    history = previous_versions(organisation=org_a, kind=Kind.ACCOUNTS)
    assert [d.original_filename for d in history] == [f"accounts-{n}.pdf" for n in range(4, -1, -1)]
