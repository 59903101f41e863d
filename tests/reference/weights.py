#!/usr/bin/env python3
"""Independent reference for kmgov's derived weights and TOPSIS.

Computes entropy, CRITIC, CV and PCA weights, AHP (eigen, sum, root with CR)
and TOPSIS scores with numpy and scipy only, written from the formulas in
docs/METHODOLOGY.md ("Derived weights", "TOPSIS") rather than from kmgov's
code: numpy's corrcoef, std, eigh and eig, and a varimax by Kaiser's
pairwise planar rotations (kmgov rotates by the SVD algorithm), so that the
two agree only when both compute the documented numbers.

    python3 tests/reference/weights.py            # writes weights_fixtures.json beside it
    python3 tests/reference/weights.py OUT.json   # writes OUT.json
    python3 tests/reference/weights.py --check tests/reference/weights_fixtures.json

--check recomputes everything and compares it with the file: the inputs
exactly, every number to 1e-12 (relative); it exits 1 on any difference.
tests/weights_reference.rs checks kmgov against the committed file to 1e-9.
"""

import csv
import json
import math
import os
import sys
import tomllib

import numpy as np
import scipy.linalg

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

# --- data -------------------------------------------------------------------


def kunming(period=None, dimension=None):
    """The Kunming sample's indicators with the built-in definition's directions."""
    with open(os.path.join(ROOT, "config", "kunming.toml"), "rb") as f:
        definition = tomllib.load(f)
    indicators = [
        (i["id"], i.get("direction", "higher"))
        for d in definition["dimension"]
        if dimension is None or d["id"] == dimension
        for i in d["indicator"]
    ]
    with open(os.path.join(ROOT, "samples", "kunming.csv"), encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if period is None or r["year"] == period]
    return [
        {"name": name, "direction": direction, "values": [float(r[name]) for r in rows]}
        for name, direction in indicators
    ]


# The Technology Achievement Index of the OECD/JRC Handbook's worked example
# (2008, section 6.1; UNDP Human Development Report 2001): 23 countries.
TAI_NAMES = ["patents", "royalties", "internet", "exports", "telephones", "electricity", "schooling", "university"]
TAI = [
    [187, 125.6, 200.2, 50.7, 3.08, 4.15, 10, 27.4],
    [289, 130, 179.1, 66.2, 3, 4.07, 12, 13.9],
    [271, 156.6, 125.8, 59.7, 3.1, 4.14, 11.4, 15.3],
    [994, 64.6, 49, 80.8, 3, 3.86, 9.5, 10],
    [779, 9.8, 4.8, 66.7, 2.97, 3.65, 10.8, 23.2],
    [189, 151.2, 136, 50.9, 3.02, 3.77, 9.4, 9.5],
    [82, 134, 57.4, 61.9, 3.02, 3.73, 9.4, 14.9],
    [31, 38.6, 108, 48.7, 2.94, 4.18, 11.6, 14.2],
    [75, 18.2, 125.9, 16.2, 2.94, 3.94, 10.9, 25.3],
    [8, 25.5, 72.3, 74.9, 2.95, 3.83, 7.1, 24.2],
    [235, 36.8, 41.2, 64.2, 2.94, 3.75, 10.2, 14.4],
    [103, 20.2, 193.6, 19, 3.12, 4.39, 11.9, 11.2],
    [106, 110.3, 48.6, 53.6, 2.97, 3.68, 9.4, 12.3],
    [72, 73.9, 58.9, 47.6, 2.91, 3.86, 9.3, 13.6],
    [103, 13, 146.7, 15.4, 2.86, 3.91, 11.7, 13.1],
    [165, 14.8, 84.2, 50.3, 2.99, 3.79, 8.4, 13.6],
    [205, 33.6, 36.4, 58.9, 2.97, 3.8, 7.9, 12.6],
    [74, 43.6, 43.2, 45, 2.96, 3.74, 9.6, 11],
    [42, 8.6, 21, 53.4, 2.86, 3.62, 7.3, 15.6],
    [13, 9.8, 30.4, 51, 3, 3.65, 7.2, 13],
    [28, 4.2, 25, 51.7, 2.75, 3.68, 9.5, 8.2],
    [26, 6.2, 21.6, 63.5, 2.73, 3.46, 9.1, 7.7],
    [105, 4, 20.3, 49.5, 2.84, 3.71, 7.1, 10.6],
]


def tai():
    return [
        {"name": n, "direction": "higher", "values": [float(r[j]) for r in TAI]}
        for j, n in enumerate(TAI_NAMES)
    ]


def gaps():
    """Seeded synthetic data: missing cells, a constant column, a lower-is-better one."""
    rng = np.random.RandomState(20190101)
    n = 30
    base = rng.normal(size=n)
    a = np.round(50 + 10 * base + rng.normal(scale=4, size=n), 2)
    b = np.round(20 - 3 * base + rng.normal(scale=2, size=n), 2)
    c = np.round(rng.uniform(1, 9, size=n), 2)
    d = np.round(100 + 5 * base + rng.normal(scale=5, size=n), 2)
    a[[3, 17]] = np.nan
    c[[5]] = np.nan
    columns = [
        ("growth", "higher", a),
        ("crime", "lower", b),
        ("noise", "higher", c),
        ("flat", "higher", np.full(n, 7.0)),
        ("income", "higher", d),
    ]
    return [{"name": name, "direction": dr, "values": [float(x) for x in v]} for name, dr, v in columns]


def matrix_of(columns):
    return np.array([c["values"] for c in columns], dtype=float).T


def higher(columns):
    return np.array([c["direction"] == "higher" for c in columns])


def unit_scale(x, up):
    lo, hi = np.min(x), np.max(x)
    if lo == hi:
        return None
    return (x - lo) / (hi - lo) if up else (hi - x) / (hi - lo)


# --- objective methods --------------------------------------------------------


def entropy(columns, shift=0.0):
    X, up = matrix_of(columns), higher(columns)
    d = np.zeros(X.shape[1])
    entropies = []
    for j in range(X.shape[1]):
        x = X[~np.isnan(X[:, j]), j]
        s = unit_scale(x, up[j])
        if s is None:
            entropies.append(None)
            continue
        s = s + shift
        p = s / s.sum()
        terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)  # 0·ln 0 = 0
        e = -terms.sum() / math.log(len(x))
        entropies.append(float(e))
        d[j] = max(0.0, 1.0 - e)
    if np.all(d <= 1e-12):
        return {"error": "NoVariation"}
    return {"weights": list(d / d.sum()), "entropy": entropies}


def complete(X):
    return X[~np.isnan(X).any(axis=1)]


def critic(columns):
    X, up = complete(matrix_of(columns)), higher(columns)
    scaled = [unit_scale(X[:, j], up[j]) for j in range(X.shape[1])]
    varying = [j for j, s in enumerate(scaled) if s is not None]
    C = np.zeros(X.shape[1])
    if varying:
        Z = np.column_stack([scaled[j] for j in varying])
        R = np.corrcoef(Z, rowvar=False) if len(varying) > 1 else np.ones((1, 1))
        gap = 1.0 - R
        gap[gap < 1e-12] = 0.0  # a correlation within rounding of 1 is 1
        for a, j in enumerate(varying):
            C[j] = np.std(Z[:, a], ddof=1) * gap[a].sum()
    if not varying:
        return {"error": "NoVariation"}
    if np.all(C == 0):
        w = np.zeros(X.shape[1])
        w[varying] = 1.0 / len(varying)
        return {"weights": list(w), "rows": len(X)}
    return {"weights": list(C / C.sum()), "rows": len(X)}


def cv(columns):
    X = matrix_of(columns)
    out = np.zeros(X.shape[1])
    for j in range(X.shape[1]):
        x = X[~np.isnan(X[:, j]), j]
        if x.min() == x.max():
            continue
        mean = x.mean()
        if abs(mean) <= 1e-10 * np.abs(x).max():
            return {"error": "MeanNearZero"}
        out[j] = np.std(x, ddof=1) / abs(mean)
    return {"weights": list(out / out.sum())}


def varimax_pairwise(L, tol=1e-14, sweeps=10000):
    """Kaiser's varimax by planar rotations of each pair of factors, on the
    rows normalised to unit communality."""
    h = np.sqrt((L ** 2).sum(axis=1))
    A = L / np.where(h > 0, h, 1.0)[:, None]
    p, k = A.shape
    for _ in range(sweeps):
        largest = 0.0
        for i in range(k - 1):
            for j in range(i + 1, k):
                x, y = A[:, i].copy(), A[:, j].copy()
                u, v = x * x - y * y, 2 * x * y
                num = 2 * (u * v).sum() - 2 * u.sum() * v.sum() / p
                den = (u * u - v * v).sum() - (u.sum() ** 2 - v.sum() ** 2) / p
                phi = math.atan2(num, den) / 4
                largest = max(largest, abs(phi))
                c, s = math.cos(phi), math.sin(phi)
                A[:, i], A[:, j] = c * x + s * y, -s * x + c * y
        if largest < tol:
            break
    else:
        raise RuntimeError("varimax did not converge")
    return A * h[:, None]


def pca(columns, retention="kaiser"):
    X = complete(matrix_of(columns))
    m_all = X.shape[1]
    varying = [j for j in range(m_all) if X[:, j].min() != X[:, j].max()]
    m = len(varying)
    if len(X) < max(m + 1, 2):
        return {"error": "TooFewValues"}
    w = np.zeros(m_all)
    if m == 1:
        w[varying[0]] = 1.0
        return {"weights": list(w), "eigenvalues": [1.0], "retained": 1, "factor_variance": [1.0]}
    R = np.corrcoef(X[:, varying], rowvar=False)
    ev, V = scipy.linalg.eigh(R)
    order = np.argsort(-ev, kind="stable")
    ev, V = np.maximum(ev[order], 0.0), V[:, order]
    total = ev.sum()
    if retention == "kaiser":
        k = int((ev > 1 + 1e-10).sum())
    else:
        k = int((ev / total > 0.1).sum())
    if k == 0:
        return {"error": "NoCommonFactor"}
    while k < m and ev[:k].sum() / total < 0.6 - 1e-12:
        k += 1
    L = varimax_pairwise(V[:, :k] * np.sqrt(ev[:k]))
    variance = (L ** 2).sum(axis=0)
    share = variance / variance.sum()
    scaled = L ** 2 / variance
    raw = np.array([scaled[i].max() * share[int(np.argmax(scaled[i]))] for i in range(m)])
    w[varying] = raw / raw.sum()
    return {
        "weights": list(w),
        "eigenvalues": list(ev),
        "retained": k,
        "factor_variance": sorted(variance.tolist()),
    }


# --- AHP ------------------------------------------------------------------------

RI = {
    "saaty": [0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49],
    "chinese": [0, 0, 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49],
}
SAATY = [x for k in range(1, 10) for x in (float(k), 1.0 / k)]


def priorities(A, method):
    n = len(A)
    if method == "eigen":
        values, vectors = np.linalg.eig(A)
        i = int(np.argmax(values.real))
        w = np.abs(vectors[:, i].real)
        return w / w.sum(), float(values[i].real)
    if method == "sum":
        w = (A / A.sum(axis=0)).mean(axis=1)
    else:
        g = np.exp(np.log(A).mean(axis=1))
        w = g / g.sum()
    return w, float(((A @ w) / w).mean())


def consistency(n, lam, ri):
    lam = max(lam, float(n))
    if n <= 2:
        return lam, 0.0, 0.0
    ci = (lam - n) / (n - 1)
    return lam, ci, ci / ri


def ahp(A, method, table):
    A = np.array(A, dtype=float)
    n = len(A)
    ri = RI[table][n - 1]
    w, lam = priorities(A, method)
    lam, ci, cr = consistency(n, lam, ri)
    out = {"weights": list(w), "lambda_max": lam, "ci": ci, "ri": ri, "cr": cr, "consistent": bool(cr < 0.1)}
    if cr >= 0.1:
        ratio = w[:, None] / w[None, :]
        deviation = np.abs(A - ratio)
        np.fill_diagonal(deviation, -1.0)
        # Equal but for rounding is a tie, won by the first cell in row order.
        ties = deviation >= deviation.max() * (1 - 1e-9)
        i, j = np.unravel_index(int(np.argmax(ties)), deviation.shape)
        suggested = float(ratio[i, j])
        saaty = min(SAATY, key=lambda s: abs(math.log(s / suggested)))
        B = A.copy()
        B[i, j], B[j, i] = saaty, 1.0 / saaty
        _, after = priorities(B, method)
        out["revise"] = {
            "row": int(i),
            "column": int(j),
            "suggested": suggested,
            "saaty": saaty,
            "cr_after": consistency(n, after, ri)[2],
        }
    return out


MATRICES = {
    # The "choosing a leader" criteria of the AHP literature.
    "leader": [[1, 4, 3, 7], [1 / 4, 1, 1 / 3, 3], [1 / 3, 3, 1, 5], [1 / 7, 1 / 3, 1 / 5, 1]],
    "cycle": [[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]],
    "five": [
        [1, 2, 5, 3, 9],
        [1 / 2, 1, 4, 1 / 2, 7],
        [1 / 5, 1 / 4, 1, 1 / 3, 2],
        [1 / 3, 2, 3, 1, 6],
        [1 / 9, 1 / 7, 1 / 2, 1 / 6, 1],
    ],
    "inconsistent": [
        [1, 9, 1 / 5, 3],
        [1 / 9, 1, 7, 1 / 2],
        [5, 1 / 7, 1, 4],
        [1 / 3, 2, 1 / 4, 1],
    ],
    "two": [[1, 7], [1 / 7, 1]],
    "ten": [[(i + 1) / (j + 1) * (1.25 if (i, j) == (0, 9) else 0.8 if (i, j) == (9, 0) else 1) for j in range(10)] for i in range(10)],
}


# --- TOPSIS ---------------------------------------------------------------------


def topsis(columns, weights):
    X, up = matrix_of(columns), higher(columns)
    w = np.array(weights, dtype=float)
    present = ~np.isnan(X)
    V = np.full(X.shape, np.nan)
    for j in range(X.shape[1]):
        x = X[present[:, j], j]
        norm = math.sqrt((x * x).sum())
        V[present[:, j], j] = 0.0 if norm == 0 else w[j] * x / norm
    best = [np.nanmax(V[:, j]) if up[j] else np.nanmin(V[:, j]) for j in range(X.shape[1])]
    worst = [np.nanmin(V[:, j]) if up[j] else np.nanmax(V[:, j]) for j in range(X.shape[1])]
    scores = []
    for i in range(X.shape[0]):
        cols = np.where(present[i])[0]
        if len(cols) == 0:
            scores.append(None)
            continue
        plus = math.sqrt(sum((V[i, j] - best[j]) ** 2 for j in cols))
        minus = math.sqrt(sum((V[i, j] - worst[j]) ** 2 for j in cols))
        scores.append(50.0 if plus + minus == 0 else 100.0 * (minus / (plus + minus)))
    return {"scores": scores}


# --- fixtures ---------------------------------------------------------------------


def clean(value):
    """NaN → null, numpy → Python, for JSON."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (np.floating, float)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def fixtures():
    datasets = {
        "kunming": kunming(),
        "kunming-2019": kunming(period="2019"),
        "kunming-vitality": kunming(dimension="vitality"),
        "kunming-services": kunming(dimension="services"),
        "kunming-environment": kunming(dimension="environment"),
        "tai": tai(),
        "gaps": gaps(),
        # Three uncorrelated columns centred on 0: no common factor, no cv.
        "orthogonal": [
            {"name": "x", "direction": "higher", "values": [1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0]},
            {"name": "y", "direction": "higher", "values": [1.0, 1.0, -1.0, -1.0, 1.0, 1.0, -1.0, -1.0]},
            {"name": "z", "direction": "lower", "values": [1.0, 1.0, 1.0, 1.0, -1.0, -1.0, -1.0, -1.0]},
        ],
    }
    objective = []
    runs = [
        ("kunming", "entropy", {}),
        ("kunming", "entropy", {"shift": 0.01}),
        ("kunming", "critic", {}),
        ("kunming", "cv", {}),
        ("kunming-2019", "entropy", {}),
        ("kunming-2019", "critic", {}),
        ("kunming-2019", "cv", {}),
        ("kunming-vitality", "pca", {"retention": "kaiser"}),
        ("kunming-services", "pca", {"retention": "kaiser"}),
        ("kunming-environment", "pca", {"retention": "kaiser"}),
        ("tai", "entropy", {}),
        ("tai", "critic", {}),
        ("tai", "cv", {}),
        ("tai", "pca", {"retention": "kaiser"}),
        ("tai", "pca", {"retention": "ten-percent"}),
        ("gaps", "entropy", {}),
        ("gaps", "entropy", {"shift": 0.001}),
        ("gaps", "critic", {}),
        ("gaps", "cv", {}),
        ("gaps", "pca", {"retention": "kaiser"}),
        ("orthogonal", "pca", {"retention": "kaiser"}),
        ("orthogonal", "cv", {}),
        ("orthogonal", "entropy", {}),
    ]
    for data, method, options in runs:
        columns = datasets[data]
        if method == "entropy":
            result = entropy(columns, options.get("shift", 0.0))
        elif method == "critic":
            result = critic(columns)
        elif method == "cv":
            result = cv(columns)
        else:
            result = pca(columns, options["retention"])
        objective.append({"data": data, "method": method, "options": options, "result": result})
    ahp_cases = [
        {"matrix": name, "method": method, "ri_table": table, "result": ahp(MATRICES[name], method, table)}
        for name in MATRICES
        for method in ("eigen", "sum", "root")
        for table in ("saaty", "chinese")
    ]
    equal = lambda columns: [1.0] * len(columns)  # noqa: E731
    topsis_cases = [
        {"data": "kunming-2019", "weights": equal(datasets["kunming-2019"])},
        {"data": "tai", "weights": entropy(datasets["tai"])["weights"]},
        {"data": "gaps", "weights": [0.3, 0.2, 0.1, 0.1, 0.3]},
    ]
    for case in topsis_cases:
        case["result"] = topsis(datasets[case["data"]], case["weights"])
    return clean(
        {
            "generator": "tests/reference/weights.py",
            "datasets": datasets,
            "matrices": MATRICES,
            "objective": objective,
            "ahp": ahp_cases,
            "topsis": topsis_cases,
        }
    )


def compare(expected, actual, path="$"):
    """Differences between two fixture trees: structure exactly, numbers to 1e-12."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        if expected.keys() != actual.keys():
            return [f"{path}: keys {sorted(expected)} != {sorted(actual)}"]
        return [d for k in expected for d in compare(expected[k], actual[k], f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(expected)} items != {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in compare(e, a, f"{path}[{i}]")]
    numbers = (int, float)
    if isinstance(expected, numbers) and isinstance(actual, numbers) and not isinstance(expected, bool):
        if abs(expected - actual) <= 1e-12 * max(1.0, abs(expected)):
            return []
        return [f"{path}: {expected!r} != {actual!r}"]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def main(argv):
    if argv[:1] == ["--check"]:
        target = argv[1] if len(argv) > 1 else os.path.join(HERE, "weights_fixtures.json")
        with open(target, encoding="utf-8") as f:
            committed = json.load(f)
        differences = compare(committed, json.loads(json.dumps(fixtures())))
        for d in differences[:20]:
            print(d, file=sys.stderr)
        if differences:
            print(f"{len(differences)} difference(s): rerun tests/reference/weights.py and commit the fixtures", file=sys.stderr)
            return 1
        print(f"{target}: matches the reference")
        return 0
    target = argv[0] if argv else os.path.join(HERE, "weights_fixtures.json")
    with open(target, "w", encoding="utf-8") as f:
        json.dump(fixtures(), f, ensure_ascii=False, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
