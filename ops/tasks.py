from django.tasks import task


@task()
def nothing_to_do() -> None:
    """A task that does nothing: enqueued to check the workers from end to end."""
