"""The learning part of the REST API: viewsets registered on the shared router."""


def register(router) -> None:
    """Add this app's viewsets to the API router."""
    from . import api_groups

    api_groups.register(router)
