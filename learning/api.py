"""The learning part of the REST API: viewsets registered on the shared router."""

from learning.needs import api as api_needs
from learning.partnerships import api as api_partnerships


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    api_needs.register(router)
    from learning.matching import api as api_matching

    api_matching.register(router)
    api_partnerships.register(router)
    from learning.groups import api as api_groups

    api_groups.register(router)
