"""Passport pages: the standing documents an organisation keeps once, for every funder."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from cocommission.accounts.requests import user_of
from cocommission.core.forms import apply_validation_error
from cocommission.core.pagination import paginate

from ..forms.passport import PassportUploadForm
from ..models import Organisation, PassportDocument
from ..permissions import OrgAction, access_passport, access_passport_document, can
from ..selectors.passport import passport_page, passport_summary, previous_versions
from ..services.passport import remove_passport_document, upload_passport_document
from ..uploads import LABELS_BY_CONTENT_TYPE


def passport_panel(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """Context for `organisations/_passport_panel.html` on the organisation's page: empty for
    people who may not see the passport, so the panel does not show."""
    if not can(user_of(request), organisation, OrgAction.VIEW_PASSPORT):
        return {}
    return {"passport": passport_summary(organisation=organisation), "show_passport_panel": True}


@login_required
def passport(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_passport(user=user_of(request), slug=slug)
    return render(
        request,
        "organisations/passport.html",
        {
            "organisation": organisation,
            "passport": passport_page(organisation=organisation),
            "can_manage": can(user_of(request), organisation, OrgAction.MANAGE_PASSPORT),
        },
    )


@login_required
def passport_history(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    organisation = access_passport(user=user_of(request), slug=slug)
    if kind not in PassportDocument.Kind.values:
        raise Http404("No such kind of document.")
    page = paginate(request, previous_versions(organisation=organisation, kind=kind))
    for document in page.object_list:
        document.type_label = LABELS_BY_CONTENT_TYPE.get(document.content_type, "")
    return render(
        request,
        "organisations/passport_history.html",
        {
            "organisation": organisation,
            "kind_label": PassportDocument.Kind(kind).label,
            "page": page,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def passport_upload(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_passport(
        user=user_of(request),
        slug=slug,
        action=OrgAction.MANAGE_PASSPORT,
    )
    max_bytes: int = settings.MAX_UPLOAD_BYTES
    if request.method == "POST":
        form = PassportUploadForm(request.POST, request.FILES, max_bytes=max_bytes)
        if form.is_valid():
            try:
                document = upload_passport_document(
                    actor=user_of(request),
                    organisation=organisation,
                    kind=form.cleaned_data["kind"],
                    uploaded_file=form.cleaned_data["file"],
                    expires_on=form.cleaned_data["expires_on"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"{document.get_kind_display()} uploaded")
                return redirect("organisations:passport", slug=organisation.slug)
    else:
        kind = request.GET.get("kind")
        form = PassportUploadForm(
            initial={"kind": kind} if kind in PassportDocument.Kind.values else {}, max_bytes=max_bytes
        )
    return render(request, "organisations/passport_upload.html", {"organisation": organisation, "form": form})


@login_required
@require_http_methods(["GET", "HEAD"])
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    document = access_passport_document(user=user_of(request), pk=pk)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is no longer stored.") from exc
    response = FileResponse(
        handle, as_attachment=True, filename=document.original_filename, content_type=document.content_type
    )
    # Uploaded content is never run as part of this site, even by a browser that ignores
    # Content-Disposition: no sniffing, no scripts, no same-origin access, no caching.
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(request: HttpRequest, pk: int) -> HttpResponse:
    document = access_passport_document(user=user_of(request), pk=pk, action="manage")
    organisation = document.organisation
    if request.method == "POST":
        remove_passport_document(actor=user_of(request), document=document)
        messages.success(request, f"{document.get_kind_display()} removed")
        return redirect("organisations:passport", slug=organisation.slug)
    return render(
        request,
        "organisations/passport_remove.html",
        {
            "organisation": organisation,
            "document": document,
            "type_label": LABELS_BY_CONTENT_TYPE.get(document.content_type, ""),
        },
    )
