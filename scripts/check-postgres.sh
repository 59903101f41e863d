#!/usr/bin/env bash
# Runs the SQL `kmgov sql --dialect postgres` writes on a PostgreSQL server
# and compares it with `kmgov score` (tests/sql/check.py), for every method
# combination. Installs Debian's postgresql and psycopg first; the server
# runs as the postgres user on a socket in a temporary folder, with no TCP
# port, and is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore 'psycopg[binary]==3.2.13' duckdb==1.4.4
cargo build --quiet
python3 tests/sql/check.py --engine postgres "$@"
