#!/usr/bin/env bash
# Runs the SQL `kmgov sql --dialect spark` writes on Spark SQL in local mode
# and compares it with `kmgov score` (tests/sql/check.py). Installs a JRE
# (Debian's default-jre-headless) and pyspark first: minutes, so not on
# every CI run. Pass --cases all for every method combination (slow: about
# a second per query), or --only TEXT for some cases.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v java >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null
fi
python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore pyspark==3.5.7 duckdb==1.4.4
java -version 2>&1 | head -1
cargo build --quiet
python3 tests/sql/check.py --engine spark --cases quick "$@"
