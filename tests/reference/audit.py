#!/usr/bin/env python3
"""Independent reference for `kmgov audit` on the Kunming sample (2019).

Scores the sample from config/kunming.toml by the documented formulas
(goalposts, clamped; equal weights; arithmetic; population-weighted total),
then computes the audit with numpy and scipy: scipy.stats.skew and kurtosis
(bias=False), pearsonr and spearmanr, Cronbach's alpha from variances, the
first principal component from numpy.linalg.eigvalsh, and the coupling
coordination of the dimensions (docs/METHODOLOGY.md, "The statistical audit").

    python3 tests/reference/audit.py                  # writes audit_fixtures.json beside it
    python3 tests/reference/audit.py --check FILE     # recomputes and compares to 1e-12
"""

import csv
import json
import math
import os
import sys
import tomllib

import numpy as np
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PERIOD = "2019"


def fixtures():
    with open(os.path.join(ROOT, "config", "kunming.toml"), "rb") as f:
        definition = tomllib.load(f)
    with open(os.path.join(ROOT, "samples", "kunming.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["year"] == PERIOD]
    rows.sort(key=lambda r: r["district"].encode("utf-8"))
    population = np.array([float(r["population"]) for r in rows])
    indicators, dimension_scores, dimension_ids = [], [], []
    for dimension in definition["dimension"]:
        columns = []
        for indicator in dimension["indicator"]:
            raw = np.array([float(r[indicator["id"]]) for r in rows])
            lo, hi = indicator["goalposts"]
            score = np.clip((raw - lo) / (hi - lo), 0.0, 1.0) * 100.0
            if indicator.get("direction", "higher") == "lower":
                score = 100.0 - score
            columns.append(score)
            indicators.append((indicator["id"], dimension["id"], raw, score))
        dimension_scores.append(np.mean(columns, axis=0))
        dimension_ids.append(dimension["id"])
    composite = np.mean(dimension_scores, axis=0)

    out_indicators, correlations = [], []
    for id_, dim, raw, score in indicators:
        own = dimension_scores[dimension_ids.index(dim)]
        out_indicators.append({
            "id": id_, "n": len(raw), "mean": float(np.mean(raw)), "sd": float(np.std(raw, ddof=1)),
            "min": float(np.min(raw)), "max": float(np.max(raw)),
            "skewness": float(stats.skew(raw, bias=False)),
            "kurtosis": float(stats.kurtosis(raw, fisher=True, bias=False)),
        })
        correlations.append({
            "indicator": id_,
            "pearson_dimension": float(stats.pearsonr(score, own)[0]),
            "spearman_dimension": float(stats.spearmanr(score, own)[0]),
            "pearson_composite": float(stats.pearsonr(score, composite)[0]),
            "spearman_composite": float(stats.spearmanr(score, composite)[0]),
        })
    dimensions = []
    for d, dim in enumerate(dimension_ids):
        items = np.array([s for (_, dd, _, s) in indicators if dd == dim])
        k = items.shape[0]
        alpha = k / (k - 1) * (1 - items.var(axis=1, ddof=1).sum() / items.sum(axis=0).var(ddof=1))
        eigen = np.linalg.eigvalsh(np.corrcoef(items))
        dimensions.append({"id": dim, "cronbach_alpha": float(alpha), "pc1_share": float(eigen.max() / k)})
    total = [float(np.sum(population * s) / np.sum(population)) for s in dimension_scores]
    u = np.array(total) / 100.0
    c = len(u) * math.exp(np.mean(np.log(u))) / u.sum()
    t = float(np.mean(u))
    coupling = {"C": c, "T": t, "D": math.sqrt(c * t)}
    return {"generator": "tests/reference/audit.py", "period": PERIOD, "indicators": out_indicators,
            "correlations": correlations, "dimensions": dimensions, "coupling": coupling}


def compare(expected, actual, path="$"):
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return [f"{path}: keys differ"]
        return [d for k in expected for d in compare(expected[k], actual[k], f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: lengths differ"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in compare(e, a, f"{path}[{i}]")]
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)):
        return [] if abs(expected - actual) <= 1e-12 * max(1.0, abs(expected)) else [f"{path}: {expected} != {actual}"]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def main(argv):
    if argv[:1] == ["--check"]:
        target = argv[1] if len(argv) > 1 else os.path.join(HERE, "audit_fixtures.json")
        with open(target, encoding="utf-8") as f:
            differences = compare(json.load(f), json.loads(json.dumps(fixtures())))
        for d in differences[:20]:
            print(d, file=sys.stderr)
        if differences:
            print(f"{len(differences)} difference(s): rerun tests/reference/audit.py and commit", file=sys.stderr)
            return 1
        print(f"{target}: matches the reference")
        return 0
    target = argv[0] if argv else os.path.join(HERE, "audit_fixtures.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(fixtures(), f, ensure_ascii=False, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
