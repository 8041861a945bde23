"""How often the public pages of 入会申请 answer one client address and one join link: Django's cache
(shared Redis in production, so every app server counts together), a fixed window per key.

The limits are settings (JOIN_SUBMITS_PER_ADDRESS, JOIN_SUBMITS_PER_LINK, JOIN_LOOKUPS_PER_ADDRESS,
per JOIN_THROTTLE_WINDOW seconds): a phone submitting a few times is never refused, a script trying
ID numbers or receipt codes is, and so is a flood through one leaked link."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

from federation.login_guard import client_ip


def _hit(scope: str, key: str, limit: int) -> bool:
    """Count one more request of `key`; True while within `limit` in the current window."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"join-throttle:{scope}:{digest}"
    window = settings.JOIN_THROTTLE_WINDOW
    if cache.add(cache_key, 1, timeout=window):
        return True
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        return True
    return count <= limit


def submit_allowed(request, link_key: str) -> bool:
    """One more application from this address through this link: both counts must allow it."""
    by_address = _hit("submit-address", client_ip(request) or "", settings.JOIN_SUBMITS_PER_ADDRESS)
    by_link = _hit("submit-link", link_key, settings.JOIN_SUBMITS_PER_LINK)
    return by_address and by_link


def lookup_allowed(request) -> bool:
    """One more look at a status page (a receipt code typed or opened) from this address."""
    return _hit("lookup-address", client_ip(request) or "", settings.JOIN_LOOKUPS_PER_ADDRESS)
