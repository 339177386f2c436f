"""The audit page: every recorded change to an organisation, for its admins and platform admins."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cocommission.accounts.requests import user_of
from cocommission.core.pagination import paginate

from ..permissions import OrgAction, access_organisation
from ..selectors.audit import audit_events_for, describe


@login_required
@require_safe
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = access_organisation(user=user_of(request), slug=slug, action=OrgAction.VIEW_AUDIT)
    page = paginate(request, audit_events_for(organisation=organisation))
    return render(
        request,
        "organisations/audit.html",
        {"organisation": organisation, "page": page, "rows": describe(page.object_list)},
    )
