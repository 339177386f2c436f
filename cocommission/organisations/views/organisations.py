from django.http import HttpRequest, HttpResponse


def directory(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def create(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    raise NotImplementedError
