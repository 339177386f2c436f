"""Agreement pages: your agreements, creating one directly, changing its terms and break
clauses, offering, signing and closing it, and the public page of a signed agreement."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocommission.accounts.requests import user_of

from ..selectors.terms import agreements_for

PAGE_SIZE = 25


@login_required
@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    page = Paginator(agreements_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agreements/agreement_list.html", {"page": page})
