from django.http import HttpRequest, HttpResponse


def partnership_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError
