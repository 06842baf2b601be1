"""What notifications does when other apps announce a change."""

from django.apps import apps
from django.dispatch import receiver

from accounts.signals import role_granted

from .automatic import add_automatic_follows


@receiver(role_granted, dispatch_uid="notifications-follows-of-a-new-role")
def follow_what_a_new_role_brings(sender, assignment, **kwargs):
    """A new city officer follows their city's needs, partnerships and actions; a new
    secretariat the actions of their commission (removable like every automatic follow)."""
    add_automatic_follows(apps.get_model, user_ids=[assignment.user_id])
