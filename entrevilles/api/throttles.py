"""API rate limits, read from settings.API_THROTTLE_RATES at each request.

DRF's own classes read their rates once, at import; these follow the settings, so a
deployment (and a test) can change them.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Requests without a login or token, counted per client address."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class PersonRateThrottle(UserRateThrottle):
    """Requests of a signed-in person or token holder, counted per person."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)
