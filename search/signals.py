"""Re-indexing meetings, actions and learning needs when they change.

Their apps write them through their own services and know nothing of the search: these
receivers schedule the re-indexing task once the transaction commits (the task reads
the object again, so several saves in one transaction give the same entry).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .services import schedule_reindex


def _reindex(object_type: str):
    def receiver(sender, instance, **kwargs):
        schedule_reindex(object_type, instance.pk)

    return receiver


def _reindex_m2m(object_type: str):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if not reverse:
            schedule_reindex(object_type, instance.pk)
        else:
            for pk in pk_set or ():
                schedule_reindex(object_type, pk)

    return receiver


def _reindex_workstream_actions(sender, instance, created=False, **kwargs):
    """An action's entry shows its workstream's title."""
    if created:
        return
    for action_id in instance.actions.values_list("pk", flat=True)[:500]:
        schedule_reindex("action", action_id)


def connect() -> None:
    from actions.models import Action, Workstream
    from learning.models import LearningNeed
    from meetings.models import Meeting

    for model, object_type, m2m_fields in (
        (Meeting, "meeting", ("commissions",)),
        (Action, "action", ()),
        (LearningNeed, "need", ("themes", "sdgs")),
    ):
        receiver = _reindex(object_type)
        post_save.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"search-{object_type}-saved"
        )
        post_delete.connect(
            receiver, sender=model, weak=False, dispatch_uid=f"search-{object_type}-deleted"
        )
        for name in m2m_fields:
            through = getattr(model, name).through
            m2m = _reindex_m2m(object_type)
            m2m_changed.connect(
                m2m, sender=through, weak=False, dispatch_uid=f"search-{object_type}-{name}"
            )
    post_save.connect(
        _reindex_workstream_actions, sender=Workstream, dispatch_uid="search-workstream-saved"
    )
