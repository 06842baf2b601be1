from django.tasks import task

from . import services


@task(takes_context=True)
def run_organisation_import(context, import_id: int) -> str:
    """Run an uploaded CSV import; a finished import is never run twice, and a run left by
    a dead worker is taken over by the next attempt (see ops.recovery)."""
    return services.run_organisation_import(import_id, attempt=context.attempt)
