import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth keeps rate limits and used TOTP codes in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()
