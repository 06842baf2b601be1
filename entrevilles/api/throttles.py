"""API rate limits, read from settings.API_THROTTLE_RATES at each request.

DRF's own classes read their rates once, at import; these follow the settings, so a
deployment (and a test) can change them.

They also count differently. DRF keeps the time of every request of the last period in
the cache and reads and writes that whole list back at each request: at 1,200 requests a
minute a busy client's request carries a list of 1,200 times, and the cost of a request
grows with the rate allowed. Here two counters per client do (the sliding-window counter
of rate limiters such as nginx's or Cloudflare's): the requests of the current period of
the rate's length and of the one before, the latter weighing the share of it that still
lies within the last period. Written here rather than taken from a library because the
limits stay DRF's throttles (their settings, their 429 answers and Retry-After), with only
the counting replaced.
"""

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class SlidingWindowCounter:
    """`allow_request` and `wait` of a DRF rate throttle, counted in two windows."""

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        current_key, previous_key = f"{self.key}:{window}", f"{self.key}:{window - 1}"
        counts = self.cache.get_many([current_key, previous_key])
        self.current = counts.get(current_key, 0)
        self.previous = counts.get(previous_key, 0)
        # The share of the current window gone: the rest of the previous one still counts.
        self.elapsed = self.now / self.duration - window
        if self.previous * (1 - self.elapsed) + self.current >= self.num_requests:
            return self.throttle_failure()
        if not self.cache.add(current_key, 1, 2 * self.duration):
            try:
                self.cache.incr(current_key)
            except ValueError:  # expired between the two calls
                self.cache.set(current_key, 1, 2 * self.duration)
        return True

    def wait(self) -> float:
        """Seconds until the estimate of the last period falls below the limit."""
        limit = self.num_requests
        if self.current >= limit:
            # In the next window this one weighs (1 − elapsed) and must fall below it.
            return ((1 - self.elapsed) + (1 - limit / self.current)) * self.duration
        below_at = 1 - (limit - self.current) / self.previous
        return max(below_at - self.elapsed, 0.0) * self.duration


class AnonymousRateThrottle(SlidingWindowCounter, AnonRateThrottle):
    """Requests without a login or token, counted per client address."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)


class PersonRateThrottle(SlidingWindowCounter, UserRateThrottle):
    """Requests of a signed-in person or token holder, counted per person."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)
