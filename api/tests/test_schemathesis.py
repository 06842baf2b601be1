"""A bounded, seeded Schemathesis pass over the whole API: every operation of the
published OpenAPI schema, with valid and invalid input, anonymously and with an
administrator's token, on the demo data. It fails on any server error and on any
response that breaks the schema."""

import contextlib
from io import StringIO

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accounts.models import User

pytestmark = pytest.mark.django_db

# Per operation, mode and caller: ~120 operations x 2 x 2 x this many requests.
EXAMPLES = 6


def run_operation(operation, mode, headers) -> str | None:
    """The first failure of one operation, as text, or None."""
    failure = None

    @hypothesis_settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same examples on every run
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case):
        nonlocal failure
        if failure is not None:
            return
        try:
            case.call_and_validate(
                headers=headers, checks=[not_a_server_error, response_schema_conformance]
            )
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - reported below
            failure = f"{case.method} {case.formatted_path} query={case.query}\n{error}"[:3000]

    # Unsatisfiable: an operation with nothing to make invalid in negative mode.
    with contextlib.suppress(Unsatisfiable):
        check()
    return failure


@contextlib.contextmanager
def connections_kept_open():
    """The WSGI application closes the database connection after each request when it is
    not in autocommit mode, which is the test's transaction: as Django's test client
    does, keep it open while the requests run."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_no_api_operation_answers_a_server_error_or_breaks_its_schema(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=StringIO())
    token = Token.objects.create(user=User.objects.get(email="admin@example.org"))
    # "identity": the test client does not undo the gzip of compressed answers.
    callers = {
        "anonymous": {"Accept-Encoding": "identity"},
        "token": {"Accept-Encoding": "identity", "Authorization": f"Token {token.key}"},
    }
    failures = []
    with connections_kept_open():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
        operations = [result.ok() for result in schema.get_all_operations()]
        assert len(operations) > 100
        for operation in operations:
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                for caller, headers in callers.items():
                    failure = run_operation(operation, mode, headers)
                    if failure:
                        failures.append(f"== {operation.label} ({caller}, {mode.value})\n{failure}")
    assert not failures, f"{len(failures)} failures\n\n" + "\n\n".join(failures)
