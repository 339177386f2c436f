"""Passport pages through the web: who may see, upload, download and remove documents."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cocommission.organisations.models import PassportDocument
from cocommission.organisations.tests import passport_files as files

Kind = PassportDocument.Kind
pytestmark = pytest.mark.django_db


def _in(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


@pytest.fixture
def document(org_a, alice):
    return files.make_document(org_a, Kind.SAFEGUARDING, expires_on=timezone.localdate(), uploaded_by=alice)


def _passport_url(org) -> str:
    return reverse("organisations:passport", args=[org.slug])


def _upload_url(org) -> str:
    return reverse("organisations:passport_upload", args=[org.slug])


# The passport page


@pytest.mark.parametrize("persona", ["alice", "bob"])
def test_members_see_the_passport(client, request, org_a, document, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_passport_url(org_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 of 6 documents in place; 1 expires in the next 60 days; 5 missing" in html
    assert "Expires today" in html and html.count(">Missing</strong>") == 5
    assert reverse("organisations:passport_download", args=[document.pk]) in html
    assert "Upload a document" in html


def test_a_platform_admin_sees_the_passport_but_cannot_change_it(client, pat, mfa_off, org_a, document):
    client.force_login(pat)
    response = client.get(_passport_url(org_a))
    assert response.status_code == 200
    assert "Upload a document" not in response.content.decode()
    assert client.get(_upload_url(org_a)).status_code == 403
    assert client.get(reverse("organisations:passport_remove", args=[document.pk])).status_code == 403


@pytest.mark.parametrize("persona", ["charlie", "lena", "cora"])
def test_outsiders_get_a_404_for_the_passport(client, request, org_a, document, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_passport_url(org_a)).status_code == 404
    assert client.get(_upload_url(org_a)).status_code == 404
    history = reverse("organisations:passport_history", args=[org_a.slug, Kind.SAFEGUARDING])
    assert client.get(history).status_code == 404


def test_anonymous_people_are_sent_to_sign_in(client, org_a, document):
    for url in [
        _passport_url(org_a),
        _upload_url(org_a),
        reverse("organisations:passport_download", args=[document.pk]),
        reverse("organisations:passport_remove", args=[document.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_unknown_organisation_is_a_404(client, bob):
    client.force_login(bob)
    assert client.get(reverse("organisations:passport", args=["no-such-org"])).status_code == 404


def test_passport_page_queries_do_not_grow_with_documents(client, bob, org_a, django_assert_max_num_queries):
    client.force_login(bob)
    files.make_document(org_a, Kind.ACCOUNTS, expires_on=timezone.localdate(), uploaded_by=bob)
    with django_assert_max_num_queries(50) as few:
        assert client.get(_passport_url(org_a)).status_code == 200
    baseline = len(few.captured_queries)
    for kind in Kind.values:
        for _ in range(3):
            files.make_document(org_a, kind, is_current=False, expires_on=timezone.localdate(), uploaded_by=bob)
        if kind != Kind.ACCOUNTS:
            files.make_document(org_a, kind, expires_on=timezone.localdate(), uploaded_by=bob)
    with django_assert_max_num_queries(baseline):
        response = client.get(_passport_url(org_a))
    assert "See all 3 previous versions" not in response.content.decode()  # 3 shown, so no "see all"


# Uploading


def test_the_upload_form_can_start_with_a_kind_chosen(client, bob, org_a):
    client.force_login(bob)
    response = client.get(_upload_url(org_a) + "?kind=insurance_certificate")
    assert response.status_code == 200
    assert 'value="insurance_certificate" checked' in response.content.decode()


@pytest.mark.parametrize(("extension", "expected"), list(files.ALLOWED.items()))
def test_a_member_uploads_each_allowed_type(client, bob, org_a, extension, expected):
    content, content_type = expected
    client.force_login(bob)
    response = client.post(
        _upload_url(org_a),
        {"kind": Kind.EQUALITY, "file": files.upload(f"equality.{extension}", content), "expires_on": _in(90)},
    )
    assert response.status_code == 302 and response["Location"] == _passport_url(org_a)
    document = PassportDocument.objects.get(organisation=org_a, kind=Kind.EQUALITY, is_current=True)
    assert document.content_type == content_type and document.uploaded_by == bob
    page = client.get(_passport_url(org_a)).content.decode()
    assert f"equality.{extension}" in page and "Equality policy uploaded" in page


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"file": files.upload("policy.pdf", files.EXE)}, "The selected file must be a PDF, DOCX, ODT, PNG or JPEG"),
        ({"file": files.upload("policy.pdf", files.TEXT)}, "The selected file must be a PDF, DOCX, ODT, PNG or JPEG"),
        ({"file": files.upload("policy.pdf", b"")}, "The selected file is empty"),
        ({}, "Select a file"),
    ],
    ids=["exe", "text", "empty", "none"],
)
def test_bad_files_get_a_message_and_the_rest_is_kept(client, bob, org_a, post, message):
    client.force_login(bob)
    response = client.post(_upload_url(org_a), {"kind": Kind.INSURANCE, "expires_on": _in(90), **post})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "<title>Error:" in html
    assert 'value="insurance_certificate" checked' in html and f'value="{_in(90)}"' in html
    assert not PassportDocument.objects.exists()


@override_settings(MAX_UPLOAD_BYTES=4096)
def test_a_file_that_is_too_big_is_refused(client, bob, org_a):
    client.force_login(bob)
    big = files.upload("accounts.pdf", files.PDF + b" " * 4096)
    response = client.post(_upload_url(org_a), {"kind": Kind.ACCOUNTS, "file": big, "expires_on": _in(90)})
    assert response.status_code == 200
    assert "The selected file must be smaller than 4KB" in response.content.decode()
    assert not PassportDocument.objects.exists()


def test_insurance_without_an_expiry_date_is_refused_next_to_the_field(client, bob, org_a):
    client.force_login(bob)
    response = client.post(
        _upload_url(org_a), {"kind": Kind.INSURANCE, "file": files.upload("cover.pdf", files.PDF), "expires_on": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_expires_on-error"' in html and "Enter the date the insurance certificate expires" in html
    assert not PassportDocument.objects.exists()


def test_an_outsider_cannot_upload(client, charlie, org_a):
    client.force_login(charlie)
    response = client.post(
        _upload_url(org_a), {"kind": Kind.ACCOUNTS, "file": files.upload("a.pdf", files.PDF), "expires_on": _in(9)}
    )
    assert response.status_code == 404
    assert not PassportDocument.objects.exists()


# Downloading


@pytest.mark.parametrize("persona", ["alice", "bob", "pat"])
def test_members_and_platform_admins_download_with_safe_headers(client, request, mfa_off, document, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("organisations:passport_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == files.PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="policy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["charlie", "lena", "cora"])
def test_outsiders_get_a_404_for_a_download(client, request, document, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("organisations:passport_download", args=[document.pk])).status_code == 404


def test_a_missing_document_is_a_404(client, bob):
    client.force_login(bob)
    assert client.get(reverse("organisations:passport_download", args=[999999])).status_code == 404


def test_the_stored_files_are_not_under_the_static_root(settings):
    assert not str(settings.MEDIA_ROOT).startswith(str(settings.STATIC_ROOT))
    assert all(not str(settings.MEDIA_ROOT).startswith(str(d)) for d in settings.STATICFILES_DIRS)


# Removing


def test_removing_asks_first_then_removes(client, bob, org_a, document):
    client.force_login(bob)
    url = reverse("organisations:passport_remove", args=[document.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Are you sure you want to remove this safeguarding policy?" in confirm.content.decode()
    assert PassportDocument.objects.filter(pk=document.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == _passport_url(org_a)
    assert not PassportDocument.objects.filter(pk=document.pk).exists()
    assert client.post(url).status_code == 404, "a second submission finds nothing to remove"


@pytest.mark.parametrize("persona", ["charlie", "lena"])
def test_outsiders_cannot_remove(client, request, document, persona):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("organisations:passport_remove", args=[document.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert PassportDocument.objects.filter(pk=document.pk).exists()


# Previous versions


def test_the_previous_versions_page_is_paginated(client, bob, org_a, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        files.make_document(org_a, Kind.ACCOUNTS, is_current=False, name=f"accounts-{n}.pdf")
    client.force_login(bob)
    url = reverse("organisations:passport_history", args=[org_a.slug, Kind.ACCOUNTS])
    first = client.get(url).content.decode()
    assert "accounts-2.pdf" in first and "accounts-1.pdf" in first and "accounts-0.pdf" not in first
    assert "accounts-0.pdf" in client.get(url + "?page=2").content.decode()
    assert client.get(reverse("organisations:passport_history", args=[org_a.slug, "tax-return"])).status_code == 404


# The panel for the organisation's page


def test_the_passport_panel_is_for_members_and_platform_admins_only(rf, bob, pat, charlie, org_a, document):
    from django.template.loader import render_to_string

    from cocommission.organisations.views.passport import passport_panel

    def panel(user):
        request = rf.get("/")
        request.user = user
        return passport_panel(request, org_a)

    assert panel(charlie) == {}
    assert panel(pat)["passport"].missing == 5
    context = panel(bob)
    assert context["show_passport_panel"] is True
    html = render_to_string("organisations/_passport_panel.html", {"organisation": org_a, **context})
    assert "1 of 6 documents in place; 1 expires in the next 60 days; 5 missing" in html
    assert "Expires today" in html and _passport_url(org_a) in html
