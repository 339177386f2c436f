"""Passport documents attached to a submitted application: the people deciding read them
(the funder's commissioners, the partnership's coordinators, the panel) without the applicant
uploading them again; everyone else still gets a 404, and nobody but the organisation's
members may change them."""

import pytest
from django.urls import reverse

from cocommission.organisations.models import PassportDocument
from cocommission.organisations.permissions import assesses_an_application_with
from cocommission.organisations.tests import passport_files as files

from .factories import ApplicationFactory, OpportunityFactory, PanelMemberFactory

pytestmark = pytest.mark.django_db
Kind = PassportDocument.Kind


@pytest.fixture
def opportunity(icb, partnership):
    return OpportunityFactory.create(funder=icb, partnership=partnership, scoring=True)


@pytest.fixture
def attached(org_a, alice):
    return files.make_document(org_a, Kind.SAFEGUARDING, uploaded_by=alice)


@pytest.fixture
def application(opportunity, org_a, attached):
    application = ApplicationFactory.create(opportunity=opportunity, organisation=org_a, submitted=True)
    application.passport_documents.set([attached])
    return application


def _download(document: PassportDocument) -> str:
    return reverse("organisations:passport_download", args=[document.pk])


@pytest.mark.parametrize("persona", ["sid", "cora", "lena"])
def test_managers_and_the_panel_download_a_submitted_application_s_documents(
    client, request, mfa_off, opportunity, application, attached, persona
):
    PanelMemberFactory.create(
        panel__opportunity=opportunity, user=request.getfixturevalue("lena"), lived_experience=True
    )
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_download(attached))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF


def test_they_may_read_but_not_remove(client, mfa_off, sid, application, attached):
    client.force_login(sid)
    url = reverse("organisations:passport_remove", args=[attached.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    assert PassportDocument.objects.filter(pk=attached.pk).exists()


@pytest.mark.parametrize("persona", ["charlie", "lena", "pat"])
def test_outsiders_still_get_a_404(client, request, mfa_off, application, attached, persona):
    # lena is not on this panel here; charlie applies elsewhere; pat is a platform admin, who
    # sees passports through the organisation's own rules, not through applications.
    client.force_login(request.getfixturevalue(persona))
    expected = 200 if persona == "pat" else 404
    assert client.get(_download(attached)).status_code == expected


def test_a_panel_member_of_another_opportunity_gets_a_404(client, mfa_off, charlie, icb, application, attached):
    PanelMemberFactory.create(panel__opportunity=OpportunityFactory.create(funder=icb, scoring=True), user=charlie)
    client.force_login(charlie)
    assert client.get(_download(attached)).status_code == 404


def test_documents_not_attached_to_the_application_stay_private(client, mfa_off, sid, org_a, application):
    later = files.make_document(org_a, Kind.INSURANCE)
    client.force_login(sid)
    assert client.get(_download(later)).status_code == 404


def test_a_withdrawn_application_opens_nothing(sid, opportunity, org_b):
    document = files.make_document(org_b, Kind.SAFEGUARDING)
    withdrawn = ApplicationFactory.create(opportunity=opportunity, organisation=org_b, withdrawn=True)
    withdrawn.passport_documents.set([document])
    assert not assesses_an_application_with(sid, document)


def test_the_check_is_one_query(sid, application, attached, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert assesses_an_application_with(sid, attached)


@pytest.mark.parametrize("persona", ["sid", "alice", "lena"])
def test_the_application_page_links_the_attached_files(
    client, request, mfa_off, opportunity, application, attached, persona
):
    PanelMemberFactory.create(
        panel__opportunity=opportunity, user=request.getfixturevalue("lena"), lived_experience=True
    )
    client.force_login(request.getfixturevalue(persona))
    html = client.get(reverse("commissioning:application_detail", args=[application.pk])).content.decode()
    assert f'href="{_download(attached)}"' in html
