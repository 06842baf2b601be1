"""The learning part of the REST API: viewsets registered on the shared router."""

from . import api_needs, api_partnerships


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    api_needs.register(router)
    from . import api_matching

    api_matching.register(router)
    api_partnerships.register(router)
    from . import api_groups

    api_groups.register(router)
