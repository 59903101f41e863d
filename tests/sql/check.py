#!/usr/bin/env python3
"""Runs the SQL `kmgov sql` writes on a real engine and compares its result
with `kmgov score` on the same data, case by case.

    python3 tests/sql/check.py [--engine duckdb|spark|postgres] [--kmgov BIN]
                               [--cases all|quick] [--keep DIR]

Every case is a definition and a CSV (written to a temporary folder, never
committed). kmgov scores it with `score --all-periods --format csv
--total-row --raw`; the engine loads the CSV as its CSV reader types it
(DuckDB's read_csv_auto, Spark's read.csv(header, inferSchema), for
PostgreSQL a table typed as DuckDB infers it) and runs the statements of
`kmgov sql --all-periods --total`. Scores must agree to 1e-9 (relative to
the larger magnitude, absolute below 1), ranks and rank changes exactly,
rows in the same order. Where kmgov refuses the data (exit 1), the query
must fail with a `kmgov:` message. Exits 1 on any difference; the last
line is `N passed, N failed`.
"""

import argparse
import csv
import itertools
import json
import math
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
TOLERANCE = 1e-9

# ---------------------------------------------------------------- the cases

# A three-level tree with Chinese and odd column names, a `lower`
# indicator, a per-node aggregate and an indicator that is constant in
# every period but the first.
TREE = """
[index]
name = "Matrix"
[data]
unit = "单位 名称"
period = "PERIOD"
population = "人口"
[method]
normalize = "{normalize}"
scope = "{scope}"
aggregate = "{aggregate}"
missing = "{missing}"
total = "{total}"
{extra}
[[dimension]]
id = "活力"
weight = 2
{dim_aggregate}
[[dimension.group]]
id = "g1"
weight = 3
{g1_aggregate}
[[dimension.group.group]]
id = "g11"
[[dimension.group.group.indicator]]
id = "x1"
goalposts = [0, 200]
[[dimension.group.group.indicator]]
id = "增长 率(%)"
weight = 2
goalposts = [-50, 150]
[[dimension.group.group]]
id = "g12"
weight = 0.5
[[dimension.group.group.indicator]]
id = "x-3"
goalposts = [1, 300]
direction = "lower"
[[dimension.group]]
id = "g2"
[[dimension.group.indicator]]
id = "x4"
goalposts = [0, 100]
direction = "lower"
{x4_normalize}
[[dimension.group.indicator]]
id = "const"
weight = 0.25
goalposts = [0, 100]
[[dimension]]
id = "environment"
[[dimension.indicator]]
id = "y1"
goalposts = [0, 50]
[[dimension.indicator]]
id = "y2"
goalposts = [0, 20]
direction = "lower"
weight = 1.5
"""

COLUMNS = ["x1", "增长 率(%)", "x-3", "x4", "const", "y1", "y2"]
UNITS = ["东区", "西区", "A county", "B county", "c", "D-e", "五华区", "f g"]


def make_rows(periods, gaps, seed=11):
    """One row per unit and period (one unit absent from the third period),
    with ties and, when `gaps`, missing cells only after the first period
    and never a whole column of a period."""
    rng = random.Random(seed)
    rows = []
    for p, period in enumerate(periods):
        for u, unit in enumerate(UNITS):
            if p == 2 and u == 3:
                continue  # a unit missing from a period: compared with the one before
            values = {
                "x1": rng.randint(5, 190) + rng.choice([0, 0.5, 0.25]),
                "增长 率(%)": round(rng.uniform(-40, 140), 3),
                "x-3": rng.randint(2, 290),
                "x4": round(rng.uniform(1, 99), 2),
                "const": 40 + p if p > 0 else 30 + u,
                "y1": round(rng.uniform(1, 49), 1),
                "y2": rng.randint(1, 19),
            }
            if u == 1:  # ties: 西区 copies 东区 in every column
                values = dict(rows[-1][2])
            population = 1000 + 137 * u + 11 * p
            rows.append([unit, period, values, population])
    if gaps:
        for r, row in enumerate(rows):
            if row[1] != periods[0] and r % 5 == 2:
                row[2][COLUMNS[r % len(COLUMNS)]] = None
            if row[1] != periods[0] and r % 7 == 3:
                row[2][COLUMNS[(r + 3) % len(COLUMNS)]] = None
    return rows


def wide_csv(rows, unit="单位 名称", period="PERIOD", population="人口"):
    lines = [[unit, period, population] + COLUMNS]
    for unit_name, period_label, values, pop in rows:
        lines.append([unit_name, period_label, pop] + [values[c] for c in COLUMNS])
    return lines


def long_csv(rows, unit="单位 名称", period="PERIOD", population="人口"):
    lines = [[unit, period, "indicator", "value"]]
    for unit_name, period_label, values, pop in rows:
        lines.append([unit_name, period_label, population, pop])
        for c in COLUMNS:
            if values[c] is not None:
                lines.append([unit_name, period_label, c, values[c]])
    return lines


def tree(normalize, scope, aggregate, missing, total, extra="", nodes=False, x4=""):
    return TREE.format(
        normalize=normalize,
        scope=scope,
        aggregate=aggregate,
        missing=missing,
        total=total,
        extra=extra,
        dim_aggregate='aggregate = "arithmetic"' if nodes else "",
        g1_aggregate='aggregate = "geometric"' if nodes else "",
        x4_normalize=x4,
    )


YEARS = [2017, 2018, 2019, 2020]
QUARTERS = ["2019Q3", "2019Q4", "2020Q1", "2020Q2"]


def matrix_cases(quick):
    """normalize × scope × aggregate × missing × total; `quick` keeps a
    covering subset (every value of every setting, most pairs)."""
    complete = make_rows(YEARS, gaps=False)
    gappy = make_rows(YEARS, gaps=True)
    settings = list(
        itertools.product(
            ["minmax", "zscore", "goalposts", "efficacy", "rank", "none"],
            ["period", "pooled", "base"],
            ["arithmetic", "geometric", "harmonic", "topsis"],
            ["error", "skip", "mean", "carry"],
            ["mean", "population", "none"],
        )
    )
    if quick:
        # Every 37th combination: 37 is prime to the sizes of the settings,
        # so each value of each setting comes up (24 combinations).
        settings = settings[::37]
    for normalize, scope, aggregate, missing, total in settings:
        rows = complete if missing == "error" else gappy
        yield (
            f"{normalize}/{scope}/{aggregate}/{missing}/{total}",
            tree(normalize, scope, aggregate, missing, total),
            wide_csv(rows),
            "wide",
        )


def named_cases():
    """The Kunming sample, forms, period spellings, selections and the
    failures the query must share with kmgov."""
    kunming = os.path.join(ROOT, "samples", "kunming.csv")
    with open(kunming, encoding="utf-8") as f:
        kunming_rows = list(csv.reader(f))
    yield ("kunming", None, kunming_rows, "wide")
    with open(os.path.join(ROOT, "samples", "kunming-groups.toml"), encoding="utf-8") as f:
        yield ("kunming-groups", f.read(), kunming_rows, "wide")
    header, body = kunming_rows[0], kunming_rows[1:]
    long_rows = [["district", "year", "indicator", "value"]]
    for row in body:
        for name, cell in zip(header[2:], row[2:]):
            long_rows.append([row[0], row[1], name, cell])
    yield ("kunming-long", None, long_rows, "long")

    gappy = make_rows(YEARS, gaps=True)
    complete = make_rows(YEARS, gaps=False)
    for missing in ["skip", "mean", "carry"]:
        yield (f"long/{missing}", tree("minmax", "period", "arithmetic", missing, "population"), long_csv(gappy), "long")
    yield ("quarters/text-periods", tree("minmax", "period", "arithmetic", "carry", "mean"), wide_csv(make_rows(QUARTERS, gaps=True)), "wide")
    yield ("quarters/base", tree("zscore", "base", "arithmetic", "skip", "mean"), wide_csv(make_rows(QUARTERS, gaps=True)), "wide")
    months = ["2019.9", "2019.10", "2019.11", "2019.12"]
    yield ("year.month periods", tree("minmax", "period", "arithmetic", "skip", "mean"), wide_csv(make_rows(months, gaps=True)), "wide", "period-as-text")
    decimals = ["2018.25", "2018.5", "2018.75", "2019"]
    yield ("numeric periods", tree("rank", "period", "arithmetic", "carry", "mean"), wide_csv(make_rows(decimals, gaps=True)), "wide")
    words = ["round 9", "round 10", "round 11", "round 12b"]
    yield ("natural-order periods", tree("minmax", "period", "arithmetic", "carry", "mean"), wide_csv(make_rows(words, gaps=True)), "wide")
    for normalize in ["efficacy", "none", "goalposts"]:
        for aggregate in ["arithmetic", "geometric", "harmonic"]:
            for missing in ["skip", "mean"]:
                yield (
                    f"per-node aggregate/{normalize}/{aggregate}/{missing}",
                    tree(normalize, "period", aggregate, missing, "population", nodes=True),
                    wide_csv(gappy),
                    "wide",
                )
    yield ("base_period named", tree("rank", "base", "arithmetic", "skip", "mean", extra='base_period = "2018"'), wide_csv(gappy), "wide")
    yield ("base_period minmax", tree("minmax", "base", "arithmetic", "mean", "population", extra='base_period = "2019"'), wide_csv(gappy), "wide")
    yield ("normalize override", tree("minmax", "pooled", "arithmetic", "skip", "mean", x4='normalize = "rank"'), wide_csv(gappy), "wide")
    yield ("equal weights", tree("efficacy", "period", "geometric", "carry", "mean", extra='weights = "equal"'), wide_csv(gappy), "wide")
    # Failures kmgov and the query must share.
    yield ("fails: missing under error", tree("minmax", "period", "arithmetic", "error", "mean"), wide_csv(gappy), "wide")
    first_gap = make_rows(YEARS, gaps=False)
    first_gap[0][2]["x1"] = None
    yield ("fails: nothing to carry", tree("minmax", "period", "arithmetic", "carry", "mean"), wide_csv(first_gap), "wide")
    empty_period = make_rows(YEARS, gaps=False)
    for row in empty_period:
        if row[1] == 2019:
            row[2]["y1"] = None
    yield ("fails: no mean", tree("minmax", "period", "arithmetic", "mean", "mean"), wide_csv(empty_period), "wide")
    twice = wide_csv(complete)
    twice.append(list(twice[3]))
    yield ("fails: a row twice", tree("minmax", "period", "arithmetic", "error", "mean"), twice, "wide")
    no_people = wide_csv(complete)
    no_people[5][2] = 0
    yield ("fails: population 0", tree("minmax", "period", "arithmetic", "error", "population"), no_people, "wide")
    yield ("fails: geometric of 0", tree("minmax", "period", "geometric", "error", "mean"), wide_csv(complete), "wide")
    tiny = wide_csv(complete)
    for row in tiny[1:]:
        row[4] = abs(row[4]) + 1  # every score positive but one
    tiny[3][3] = "1e-320"
    yield ("fails: harmonic of 1e-320", tree("none", "period", "harmonic", "error", "mean"), tiny, "wide")
    yield ("fails: unknown base_period", tree("minmax", "base", "arithmetic", "error", "mean", extra='base_period = "2031"'), wide_csv(complete), "wide")
    constant = make_rows(YEARS, gaps=False)
    for row in constant:
        if row[1] == 2017:
            row[2]["const"] = 7
    yield ("fails: constant in the base period", tree("minmax", "base", "arithmetic", "error", "mean"), wide_csv(constant), "wide")
    text_cell = wide_csv(gappy)
    text_cell[4][4] = "7O.2"
    # Spark casts such text to NULL: the query must refuse it as kmgov does.
    # DuckDB and PostgreSQL stop on the cast themselves.
    yield ("fails: not a number", tree("minmax", "period", "arithmetic", "skip", "mean"), text_cell, "wide", "any-error")
    months = ["Jan 2019", "Feb 2019", "Mar 2019", "Apr 2019"]
    yield ("fails: month names", tree("goalposts", "period", "arithmetic", "error", "mean"), wide_csv(make_rows(months, gaps=False)), "wide", "sql-only")


# ---------------------------------------------------------------- engines


class Duckdb:
    name = "duckdb"

    def __init__(self):
        import duckdb

        self.duckdb = duckdb
        self.con = duckdb.connect()
        self.version = duckdb.__version__

    def load(self, path, text_columns):
        self.con.execute("DROP TABLE IF EXISTS data")
        self.con.execute(f"CREATE TABLE data AS SELECT * FROM read_csv_auto('{path}', header = true{duck_types(text_columns)})")

    def run(self, statement):
        cursor = self.con.execute(statement)
        return [d[0] for d in cursor.description], cursor.fetchall()

    def close(self):
        self.con.close()


class Spark:
    name = "spark"

    def __init__(self):
        from pyspark.sql import SparkSession

        self.spark = (
            SparkSession.builder.master("local[2]")
            .appName("kmgov-sql-check")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.memory", "4g")
            .getOrCreate()
        )
        self.spark.sparkContext.setLogLevel("ERROR")
        self.version = self.spark.version

    def load(self, path, text_columns):
        frame = self.spark.read.csv(path, header=True, inferSchema=True)
        if text_columns:
            frame = self.spark.read.csv(path, header=True, schema=", ".join(f"`{c}` {'STRING' if c in text_columns else t.simpleString()}" for c, t in ((f.name, f.dataType) for f in frame.schema.fields)))
        frame.createOrReplaceTempView("data")

    def run(self, statement):
        frame = self.spark.sql(statement.rstrip().rstrip(";"))
        rows = frame.collect()
        return frame.columns, [tuple(r) for r in rows]

    def close(self):
        self.spark.stop()


class Postgres:
    """A server started here on a socket in a temporary folder."""

    name = "postgres"

    def __init__(self):
        import psycopg

        self.psycopg = psycopg
        self.folder = tempfile.mkdtemp(prefix="kmgov-pg-")
        bindir = postgres_bindir()
        data = os.path.join(self.folder, "data")
        user = []
        self.as_user = []
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        subprocess.run(self.as_user + [os.path.join(bindir, "initdb"), "-D", data, "-A", "trust", "-E", "UTF8", "--no-locale"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            self.as_user + [os.path.join(bindir, "pg_ctl"), "-D", data, "-l", os.path.join(self.folder, "log"), "-w", "-o", f"-k {self.folder} -c listen_addresses=''", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.bindir, self.data = bindir, data
        self.con = psycopg.connect(host=self.folder, dbname="postgres", user="postgres", autocommit=True)
        self.version = self.con.execute("SHOW server_version").fetchone()[0]
        import duckdb

        self.duck = duckdb.connect()

    def load(self, path, text_columns):
        self.duck.execute("DROP TABLE IF EXISTS t")
        self.duck.execute(f"CREATE TABLE t AS SELECT * FROM read_csv_auto('{path}', header = true{duck_types(text_columns)})")
        described = self.duck.execute("DESCRIBE t").fetchall()
        types = {"BIGINT": "bigint", "INTEGER": "integer", "DOUBLE": "double precision", "VARCHAR": "text", "DATE": "date", "BOOLEAN": "boolean"}
        columns = ", ".join(f'"{name}" {types.get(kind, "text")}' for name, kind, *_ in described)
        self.con.execute("DROP TABLE IF EXISTS data")
        self.con.execute(f"CREATE TABLE data ({columns})")
        rows = self.duck.execute("SELECT * FROM t").fetchall()
        names = ", ".join(f'"{name}"' for name, *_ in described)
        with self.con.cursor() as cur:
            with cur.copy(f"COPY data ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def run(self, statement):
        cursor = self.con.execute(statement)
        return [d.name for d in cursor.description], cursor.fetchall()

    def close(self):
        self.con.close()
        subprocess.run(self.as_user + [os.path.join(self.bindir, "pg_ctl"), "-D", self.data, "-m", "fast", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(self.folder, ignore_errors=True)


def duck_types(text_columns):
    if not text_columns:
        return ""
    return ", types = {" + ", ".join(f"'{c}': 'VARCHAR'" for c in text_columns) + "}"


def postgres_bindir():
    root = "/usr/lib/postgresql"
    versions = sorted(os.listdir(root), key=lambda v: int(v.split(".")[0])) if os.path.isdir(root) else []
    if not versions:
        raise RuntimeError("no PostgreSQL server under /usr/lib/postgresql (apt-get install postgresql)")
    return os.path.join(root, versions[-1], "bin")


# ---------------------------------------------------------------- checking


def number(text):
    return None if text in ("", None) else float(text)


def expected(kmgov, folder, definition, data, form):
    command = [kmgov, "score", data, "--all-periods", "--format", "csv", "--total-row", "--raw", "-q"]
    if definition:
        command += ["--config", definition]
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    if result.returncode != 0:
        return None, result.stderr.strip()
    rows = list(csv.reader(result.stdout.splitlines()))
    return rows, None


def statements(kmgov, folder, definition, engine, form):
    command = [kmgov, "sql", "--dialect", engine, "--all-periods", "--total", "--form", form, "-q"]
    if definition:
        command += ["--config", definition]
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    if result.returncode != 0:
        raise RuntimeError(f"kmgov sql failed: {result.stderr.strip()}")
    chunks = result.stdout.split("\n-- kmgov statement ")[1:]
    out = []
    for chunk in chunks:
        heading, _, body = chunk.partition("\n")
        out.append((heading.split(": ", 1)[1], body))
    return out, result.stdout


def same_number(a, b):
    """A DOUBLE period column reads back as 2019.0 where kmgov has 2019."""
    try:
        return float(a) == float(b)
    except (TypeError, ValueError):
        return False


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and math.isnan(a):
        return False
    scale = max(1.0, abs(a), abs(b))
    return abs(a - b) <= TOLERANCE * scale


def compare(header, kmgov_rows, columns, got, label):
    """Differences between kmgov's rows and the engine's, as text."""
    problems = []
    if [c for c in columns] != header:
        return [f"{label}: columns {columns} are not kmgov's {header}"]
    if len(kmgov_rows) != len(got):
        problems.append(f"{label}: {len(got)} rows, kmgov has {len(kmgov_rows)}")
    for i, (want, have) in enumerate(zip(kmgov_rows, got)):
        for name, w, h in zip(header, want, have):
            if name == "period" and same_number(w, h):
                continue
            if name in ("period", "unit"):
                if str(w) != ("" if h is None else str(h)):
                    problems.append(f"{label} row {i + 1} {name}: {h!r}, kmgov {w!r}")
            elif name in ("rank", "rank_change"):
                if (None if w == "" else int(w)) != (None if h is None else int(h)):
                    problems.append(f"{label} row {i + 1} ({want[0]}, {want[2]}) {name}: {h}, kmgov {w}")
            elif not close(number(w), None if h is None else float(h)):
                problems.append(f"{label} row {i + 1} ({want[0]}, {want[2]}) {name}: {h}, kmgov {w}")
        if len(problems) > 8:
            break
    return problems


def compare_missing(kmgov, folder, definition, data, got, name):
    """The missing-cells statement lists the cells `kmgov check` calls missing."""
    command = [kmgov, "check", data, "--format", "json", "-q"]
    if definition:
        command += ["--config", definition]
    result = subprocess.run(command, capture_output=True, text=True, cwd=folder)
    want = set()
    for problem in json.loads(result.stdout)["problems"]:
        found = re.match(r"indicator `(.*)`, unit (.*), period (.*): the value is missing$", problem["message"])
        if found:
            want.add((found.group(2), found.group(3), found.group(1)))
    have = {(str(u), str(p), str(i)) for u, p, i in got}
    if have != want:
        return [f"{name}: the missing-cells statement lists {sorted(have)[:5]}, kmgov check {sorted(want)[:5]}"]
    return []


def run_case(engine, kmgov, folder, case):
    name, definition_text, rows, form = case[:4]
    sql_only = "sql-only" in case[4:]
    # A period column of year.months must be read as text: as numbers,
    # 2019.10 would be 2019.1.
    text_columns = ["PERIOD"] if "period-as-text" in case[4:] else []
    data = os.path.join(folder, "data.csv")
    with open(data, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    definition = None
    if definition_text is not None:
        definition = os.path.join(folder, "index.toml")
        with open(definition, "w", encoding="utf-8") as f:
            f.write(definition_text)
    want, refusal = (None, "month names") if sql_only else expected(kmgov, folder, definition, data, form)
    try:
        script, text = statements(kmgov, folder, definition, engine.name, form)
    except RuntimeError as error:
        if want is None:
            return []  # both refuse the definition
        return [f"{name}: {error}"]
    engine.load(data, text_columns)
    results = []
    problems = []
    try:
        for purpose, statement in script:
            results.append((purpose, engine.run(statement)))
            if purpose.startswith("the missing cells") and not sql_only:
                problems += compare_missing(kmgov, folder, definition, data, results[-1][1][1], name)
    except Exception as error:  # the engine's own exception types
        message = str(error)
        if want is None and ("kmgov:" in message or "any-error" in case[4:]):
            return problems
        if want is None:
            return problems + [f"{name}: kmgov refuses ({refusal.splitlines()[0]}) but the query failed without a kmgov message: {message[:300]}"]
        return problems + [f"{name}: the query failed: {message[:500]}"]
    if want is None:
        return [f"{name}: kmgov refuses ({refusal.splitlines()[0]}) but the query returned rows"]
    header, body = want[0], want[1:]
    units = [r for r in body if r[2] != "total"]
    totals = [r for r in body if r[2] == "total"]
    for purpose, (columns, got) in results:
        if purpose.startswith("the missing cells"):
            pass  # compared with `kmgov check` above
        elif purpose.startswith("the scores"):
            problems += compare(header, units, columns, got, f"{name}: scores")
        elif purpose.startswith("each period's total"):
            problems += compare(header, totals, columns, got, f"{name}: totals")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="duckdb", choices=["duckdb", "spark", "postgres"])
    parser.add_argument("--kmgov", default=os.path.join(ROOT, "target", "debug", "kmgov"))
    parser.add_argument("--cases", default="all", choices=["all", "quick"])
    parser.add_argument("--only", default="", help="run the cases whose name contains this text")
    args = parser.parse_args()
    engine = {"duckdb": Duckdb, "spark": Spark, "postgres": Postgres}[args.engine]()
    print(f"engine: {engine.name} {engine.version}", flush=True)
    cases = list(named_cases()) + list(matrix_cases(args.cases == "quick"))
    cases = [c for c in cases if args.only in c[0]]
    passed = failed = 0
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="kmgov-sql-") as folder:
        for case in cases:
            try:
                problems = run_case(engine, args.kmgov, folder, case)
            except Exception as error:
                problems = [f"{case[0]}: {error}"]
            if problems:
                failed += 1
                print("FAIL " + "\n     ".join(problems[:10]), flush=True)
            else:
                passed += 1
    engine.close()
    print(f"{len(cases)} cases on {engine.name} {engine.version} in {time.time() - started:.0f} s")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
