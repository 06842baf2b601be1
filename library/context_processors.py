from . import permissions


def review(request):
    """Whether the navigation offers the experiences waiting for review."""
    return {
        "can_review_experiences": permissions.can_review_experiences(getattr(request, "user", None))
    }
