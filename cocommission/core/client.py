"""The address a request came from, the same way everywhere that counts requests by address
(sign-in lockout, the public story limit and allauth's own limits).

Behind a reverse proxy every request arrives from the proxy, so counting REMOTE_ADDR would count
everybody as one person. COCOMMISSION_TRUSTED_PROXY_COUNT says how many proxies of our own stand in
front of the service; each appends the address it was reached from to X-Forwarded-For, so the
client's address is that many entries from the right. Entries further left were written by the
client and are never trusted. With no proxies (the default) only REMOTE_ADDR is read.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def trusted_proxy_count() -> int:
    return max(int(getattr(settings, "COCOMMISSION_TRUSTED_PROXY_COUNT", 0)), 0)


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's address, or "" when there is none that can be trusted."""
    count = trusted_proxy_count()
    if count:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            address = _valid(forwarded[-count])
            if address:
                return address
    return _valid(request.META.get("REMOTE_ADDR", "")) or ""
