"""Template tags of learning groups and dashboards, for other apps' pages."""

from django import template

from learning import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def commission_learning(context, commission) -> dict:
    """What a commission's page shows of the learning programme: the link to the
    commission's dashboard (for those who may open it) and its learning groups."""
    user = context["request"].user
    groups = list(
        permissions.visible_learning_groups(user)
        .filter(facilitating_commission=commission)
        .only("slug", "name", "name_en", "name_fr", "name_es")
        .order_by("name", "id")[:20]
    )
    return {
        "can_view_dashboard": permissions.can_view_commission_dashboard(user, commission),
        "groups": groups,
    }
