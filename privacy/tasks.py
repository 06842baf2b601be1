from django.tasks import task

from . import export, retention


@task()
def build_export(export_id: int) -> bool:
    """Build a person's data archive and mail them its link."""
    return export.build(export_id)


@task()
def purge_expired(day: str) -> dict:
    """The daily retention purge (`day` as an ISO date, for the scheduler)."""
    return retention.purge()
