from django import template

from ..models import Follow

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, target_type: str, target_id: int):
    """A Follow / Following button for a signed-in person (one query); nothing for visitors."""
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    following = (
        signed_in
        and Follow.objects.filter(
            user=user, target_type=target_type, target_id=target_id, active=True
        ).exists()
    )
    return {
        "signed_in": signed_in,
        "target_type": target_type,
        "target_id": target_id,
        "following": following,
        "next": request.get_full_path() if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
