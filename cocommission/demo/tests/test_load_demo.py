from collections import Counter

import pytest
from django.core.management import call_command

from cocommission.accounts.models import User
from cocommission.core.models import AuditEvent
from cocommission.demo import place
from cocommission.demo.loader import demo_pdf, load_demo_place
from cocommission.organisations.models import IncomeBand, Interaction, Organisation, PassportDocument
from cocommission.organisations.uploads import detect_content_type
from cocommission.partnerships.models import Partnership, PartnershipPerson

pytestmark = pytest.mark.django_db


def test_demo_place_has_every_kind_band_and_role():
    load_demo_place()
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert kinds == {"statutory", "vcse", "private", "other"}
    bands = set(Organisation.objects.values_list("income_band", flat=True))
    assert {IncomeBand.MICRO, IncomeBand.SMALL, IncomeBand.MEDIUM, IncomeBand.LARGE, IncomeBand.MAJOR} <= bands
    assert 35 <= Organisation.objects.count() <= 45
    assert 55 <= User.objects.count() <= 70
    partnership = Partnership.objects.get(slug=place.PARTNERSHIP["slug"])
    assert 20 <= partnership.member_organisations.count() <= 30
    roles = Counter(partnership.people.values_list("role", flat=True))
    assert roles["coordinator"] == 1
    assert partnership.people.filter(lived_experience=True, organisation__isnull=True).count() == 3
    for _, email in place.LOGINS:
        assert User.objects.filter(email=email).exists()


def test_demo_passports_show_missing_expiring_and_expired_documents():
    load_demo_place()
    current = PassportDocument.objects.filter(is_current=True)
    first = current.first()
    assert first is not None
    assert current.filter(expires_on__lt=first.created_at.date()).exists()  # some expired
    soon = [d for d in current if d.expires_on and 0 <= (d.expires_on - d.created_at.date()).days <= 60]
    assert soon, "some documents expire within 60 days"
    vcse_without_insurance = Organisation.objects.filter(kind="vcse").exclude(
        passport_documents__kind=PassportDocument.Kind.INSURANCE
    )
    assert vcse_without_insurance.exists(), "some passports are missing documents"
    assert Interaction.objects.filter(partnership__isnull=False).exists()
    assert Interaction.objects.filter(partnership__isnull=True).exists()


def test_loading_twice_adds_nothing_the_second_time():
    load_demo_place()
    before = (
        Organisation.objects.count(),
        User.objects.count(),
        PassportDocument.objects.count(),
        Interaction.objects.count(),
        PartnershipPerson.objects.count(),
        AuditEvent.objects.count(),
    )
    second = load_demo_place()
    after = (
        Organisation.objects.count(),
        User.objects.count(),
        PassportDocument.objects.count(),
        Interaction.objects.count(),
        PartnershipPerson.objects.count(),
        AuditEvent.objects.count(),
    )
    assert before == after
    assert not any(key.endswith("added") for key in second)


def test_command_prints_one_login_per_role_and_the_password(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert place.DEMO_PASSWORD in out
    for role, email in place.LOGINS:
        assert role in out and email in out


def test_demo_pdf_is_recognised_as_a_pdf_by_content():
    assert detect_content_type(demo_pdf("Safeguarding policy")) == "application/pdf"


def test_every_demo_person_can_sign_in_with_the_demo_password(client):
    load_demo_place()
    for _, email in place.LOGINS:
        assert User.objects.get(email=email).check_password(place.DEMO_PASSWORD)
    response = client.post("/accounts/login/", {"login": place.LOGINS[0][1], "password": place.DEMO_PASSWORD})
    assert response.status_code == 302
