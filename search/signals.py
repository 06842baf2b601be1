"""Re-indexing meetings, actions and learning needs when they change, and the entries
that show a commission or an organisation when its name changes.

Their apps write them through their own services and know nothing of the search: these
receivers schedule the re-indexing task once the transaction commits (the task reads
the object again, so several saves in one transaction give the same entry).
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from .services import schedule_dependents, schedule_reindex


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


def _shown_fields(model) -> list[str]:
    """The columns of a commission or an organisation that other entries show: its name
    in each language, and for a city the region and size class of their facets."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if field.name.startswith("name") or field.name in ("region", "size_class")
    ]


def _remember_shown(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    fields = _shown_fields(sender)
    instance._search_shown = sender._default_manager.filter(pk=instance.pk).values(*fields).first()


def _dependents_if_renamed(kind: str):
    def receiver(sender, instance, created=False, raw=False, **kwargs):
        before = getattr(instance, "_search_shown", None)
        instance._search_shown = None
        if raw or created or before is None:
            return
        if any(getattr(instance, name) != value for name, value in before.items()):
            schedule_dependents(kind, instance.pk)

    return receiver


def connect() -> None:
    from actions.models import Action, Workstream
    from commissions.models import Commission
    from learning.models import LearningNeed
    from meetings.models import Meeting
    from network.models import Organisation

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
    for model, kind in ((Commission, "commission"), (Organisation, "organisation")):
        pre_save.connect(
            _remember_shown, sender=model, weak=False, dispatch_uid=f"search-{kind}-shown"
        )
        post_save.connect(
            _dependents_if_renamed(kind),
            sender=model,
            weak=False,
            dispatch_uid=f"search-{kind}-dependents",
        )
