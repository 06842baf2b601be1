"""How long a login lockout lasts: django-axes asks this for every attempt.

The first lockout lasts settings.LOGIN_LOCKOUT_MINUTES; every further series of
LOGIN_FAILURE_LIMIT failures from the same address or for the same account doubles it,
up to a day, so that a patient guesser gets ever fewer tries.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q, Sum

MAXIMUM_LOCKOUT = timedelta(days=1)


def failures_so_far(ip_address: str | None, email: str | None) -> int:
    """The failed logins still on record for this address or this account (the larger)."""
    from axes.models import AccessAttempt

    counts = [0]
    for condition in (
        Q(ip_address=ip_address) if ip_address else None,
        Q(username=email) if email else None,
    ):
        if condition is not None:
            total = AccessAttempt.objects.filter(condition).aggregate(n=Sum("failures_since_start"))
            counts.append(total["n"] or 0)
    return max(counts)


def lockout_duration(request=None) -> timedelta:
    base = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    if request is None:
        return base
    email = (request.POST.get("username") or "").strip().lower() if request.method == "POST" else ""
    user = getattr(request, "user", None)
    if not email and user is not None and user.is_authenticated:
        email = user.email  # the confirmation page, for a signed-in person
    failures = failures_so_far(getattr(request, "axes_ip_address", None), email or None)
    series = max(0, failures // settings.LOGIN_FAILURE_LIMIT - 1)
    return min(base * 2 ** min(series, 16), MAXIMUM_LOCKOUT)
