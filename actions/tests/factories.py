"""Factories of the action plan; people, organisations and commissions come from meetings'."""

from actions import services


def make_workstream(*, commissions, title="Intermediary Cities", **overrides):
    return services.create_workstream(
        titles={"en": title}, commissions=commissions, actor=None, **overrides
    )


def make_action(*, workstream, title="Finalise the Framework Document", **overrides):
    return services.create_action(
        titles={"en": title}, workstream=workstream, actor=None, **overrides
    )
