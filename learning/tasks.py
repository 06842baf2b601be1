from django.tasks import task


@task()
def send_partnership_notice(
    partnership_id: int,
    event: str,
    organisation_ids: list[int] | None = None,
    secretariat: bool = True,
    party_id: int | None = None,
    exclude_user_id: int | None = None,
) -> int:
    """Tell the people concerned what happened to a partnership, each in their language."""
    from learning.partnerships.services.notices import send_partnership_notice as send

    return send(
        partnership_id,
        event,
        organisation_ids=organisation_ids,
        secretariat=secretariat,
        party_id=party_id,
        exclude_user_id=exclude_user_id,
    )
