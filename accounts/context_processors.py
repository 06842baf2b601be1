from . import permissions


def roles(request):
    """What the navigation needs to know about the person looking at the page."""
    user = getattr(request, "user", None)
    return {
        "is_network_admin": permissions.is_network_admin(user),
        "can_use_admin": permissions.can_use_admin(user),
    }
