from django.tasks import task

from . import services


@task()
def run_organisation_import(import_id: int) -> str:
    """Run an uploaded CSV import; a finished import is never run twice."""
    return services.run_organisation_import(import_id)
