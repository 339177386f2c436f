"""A partnership's policy minimum term for recurring services: coordinators set it, and the
agreements of the partnership are judged short-term against it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cocommission.agreements.tests.factories import AgreementFactory
from cocommission.core.models import AuditEvent
from cocommission.core.versioning import StaleFormError, version_of
from cocommission.partnerships.services import change_partnership

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("mfa_off")]


def details(partnership, **changes):
    values = {
        "name": partnership.name,
        "place": partnership.place,
        "description": partnership.description,
        "minimum_term_years": partnership.minimum_term_years,
    }
    values.update(changes)
    return values


def test_a_coordinator_changes_the_minimum_term_and_it_is_audited(cora, partnership):
    changed = change_partnership(actor=cora, partnership=partnership, **details(partnership, minimum_term_years=5))
    assert changed.minimum_term_years == 5
    event = AuditEvent.objects.get(object_type="partnerships.partnership", action="update")
    assert event.changes["minimum_term_years"] == [3, 5]
    assert event.partnership_id == partnership.pk


def test_a_minimum_outside_1_to_10_years_and_a_stale_form_are_refused(cora, partnership):
    with pytest.raises(ValidationError) as refused:
        change_partnership(actor=cora, partnership=partnership, **details(partnership, minimum_term_years=0))
    assert refused.value.message_dict == {"minimum_term_years": ["The minimum term must be between 1 and 10 years"]}
    stale = version_of(partnership)
    change_partnership(actor=cora, partnership=partnership, version=stale, **details(partnership, place="Valley"))
    with pytest.raises(StaleFormError):
        change_partnership(
            actor=cora, partnership=partnership, version=stale, **details(partnership, minimum_term_years=4)
        )
    partnership.refresh_from_db()
    assert (partnership.place, partnership.minimum_term_years) == ("Valley", 3)


def test_the_edit_page_is_for_coordinators_and_the_new_minimum_flags_agreements(
    client, cora, alice, sid, icb, org_a, partnership
):
    agreement = AgreementFactory.create(funder=icb, provider=org_a, partnership=partnership)
    client.force_login(alice)
    assert client.get(reverse("partnerships:edit", args=[partnership.slug])).status_code == 403
    client.force_login(cora)
    page = client.get(reverse("partnerships:edit", args=[partnership.slug]))
    assert "Minimum term for recurring services, in years" in page.text
    response = client.post(
        reverse("partnerships:edit", args=[partnership.slug]),
        {**details(partnership, minimum_term_years="11"), "version": page.context["form"]["version"].value()},
    )
    assert "The minimum term must be between 1 and 10 years" in response.text
    response = client.post(
        reverse("partnerships:edit", args=[partnership.slug]),
        {**details(partnership, minimum_term_years="5"), "version": page.context["form"]["version"].value()},
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.minimum_term_years == 5
    # The 3-year agreement is now shorter than the partnership's minimum.
    assert agreement.end_date == datetime.date(2029, 3, 31)
    client.force_login(sid)
    page = client.get(reverse("agreements:detail", args=[agreement.pk]))
    assert "Shorter than the 5-year minimum for recurring services" in page.text
