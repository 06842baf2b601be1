#!/usr/bin/env bash
# Runs a benchmark on a throw-away PostgreSQL 15 cluster (see bin/with-postgres): the
# cluster is started, migrated, the command run with DATABASE_URL set, then the cluster
# is stopped and removed. The server runs with PostgreSQL's defaults but one:
# synchronous_commit=off, the guarantee the SQLite setup gives (WAL, synchronous=NORMAL): a
# commit survives the crash of any process, not a power cut of the machine; neither waits
# for the disk at each commit, so the two compare. PG_SERVER_OPTIONS replaces it
# (PG_SERVER_OPTIONS=" " for PostgreSQL's own defaults).
#
#     benchmarks/on_postgres.sh .venv/bin/python manage.py benchmark_meetings --repeat 20
#     benchmarks/on_postgres.sh .venv/bin/python benchmarks/directory.py --organisations 20000
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: benchmarks/on_postgres.sh COMMAND [ARGUMENT...]" >&2; exit 2; }
export PG_SERVER_OPTIONS="${PG_SERVER_OPTIONS:--c synchronous_commit=off}"
exec bin/with-postgres bash -c '.venv/bin/python manage.py migrate --verbosity 0 && "$@"' migrate "$@"
