"""Signing the benchmarks' people in, as the login pages would."""

from accounts.authentication import mark_second_factor_passed


def sign_in_client(client, user) -> None:
    """Sign `user` in on Django's test client, both steps passed: what the benchmarks
    measure is a page as a signed-in person sees it after the login page."""
    client.force_login(user)
    session = client.session
    mark_second_factor_passed(session)
    session.save()
