"""Personal API tokens: `Authorization: Token <key>` on any API request.

A key is made of random bytes and stored as its SHA-256 digest only (a fast hash is
enough for 256 random bits; a slow one would only slow every API request down).
"""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

KEY_PREFIX = "ev_"
# last_used_at is written at most this often, not on every request of a busy script.
LAST_USE_PRECISION = timedelta(minutes=1)


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class PersonalTokenAuthentication(authentication.TokenAuthentication):
    """Keys made on the profile page; keys without their prefix are looked up in DRF's
    own token table (tokens made in the back office or by scripts before)."""

    def authenticate_credentials(self, key):
        from .models import PersonalToken

        if not key.startswith(KEY_PREFIX):
            return super().authenticate_credentials(key)
        token = (
            PersonalToken.objects.active()
            .select_related("user")
            .filter(digest=digest_of(key))
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This API token is unknown or was revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USE_PRECISION:
            PersonalToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return (token.user, token)
