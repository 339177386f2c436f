"""Which address a request is counted against."""

import pytest
from django.test import RequestFactory

from cocommission.core.client import client_address


def request(remote: str = "10.0.0.5", forwarded: str | None = None):
    made = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        made.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return made


def test_without_proxies_only_the_connection_counts(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 0
    # A client can write anything in X-Forwarded-For; with no proxy of ours it is ignored.
    assert client_address(request("203.0.113.9", forwarded="198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded="203.0.113.9")) == "203.0.113.9"


def test_entries_the_client_wrote_are_not_trusted(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
    # The client sent "X-Forwarded-For: 198.51.100.1"; our proxy appended the address it saw.
    assert client_address(request(forwarded="198.51.100.1, 203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies_the_second_entry_from_the_right_counts(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 2
    assert client_address(request(forwarded="198.51.100.1, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", ["", "not-an-address", " , "])
def test_a_missing_or_broken_header_falls_back_to_the_connection(settings, forwarded):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
    assert client_address(request("10.0.0.5", forwarded=forwarded)) == "10.0.0.5"


def test_ipv6_addresses_are_written_one_way(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 1
    assert client_address(request(forwarded="2001:DB8:0:0::1")) == "2001:db8::1"


def test_no_address_at_all_is_empty(settings):
    settings.COCOMMISSION_TRUSTED_PROXY_COUNT = 0
    assert client_address(request(remote="")) == ""
