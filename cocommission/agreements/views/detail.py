"""The agreement page and its printable summary: every part of the agreement on one page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from cocommission.accounts.requests import user_of

from ..permissions import AgreementAction, access_agreement
from ..selectors.page import agreement_page


@login_required
@require_GET
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.VIEW)
    return render(request, "agreements/agreement_detail.html", agreement_page(agreement, user))


@login_required
@require_GET
def agreement_print(request: HttpRequest, pk: int) -> HttpResponse:
    user = user_of(request)
    agreement = access_agreement(user=user, pk=pk, action=AgreementAction.VIEW)
    return render(request, "agreements/agreement_print.html", agreement_page(agreement, user))
