from django.tasks import task

from . import services


@task()
def extract_document_file_text(file_id: int) -> str:
    """Read an uploaded document file's text for search; running it again does no harm."""
    return services.extract_document_file_text(file_id)
