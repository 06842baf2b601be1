#!/usr/bin/env bash
# Runs a benchmark on a throw-away PostgreSQL 15 cluster (see bin/with-postgres): the
# cluster is started, migrated, the command run with DATABASE_URL set, then the cluster
# is stopped and removed. The server runs with PostgreSQL's own defaults (fsync on).
#
#     benchmarks/on_postgres.sh .venv/bin/python manage.py benchmark_meetings --repeat 20
#     benchmarks/on_postgres.sh .venv/bin/python benchmarks/directory.py --organisations 20000
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: benchmarks/on_postgres.sh COMMAND [ARGUMENT...]" >&2; exit 2; }
exec bin/with-postgres bash -c '.venv/bin/python manage.py migrate --verbosity 0 && "$@"' migrate "$@"
