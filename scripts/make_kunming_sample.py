#!/usr/bin/env python3
"""Generate samples/kunming.csv, the bundled sample data of the built-in Kunming
Social Governance Index (昆明市社会治理指数, config/kunming.toml).

The values are ILLUSTRATIVE, NOT OFFICIAL STATISTICS. The district-level data
behind the published index are not public; this script makes plausible values
for the 14 districts and counties of Kunming, 2017-2019, such that the index
computed from them reproduces the city-wide scores the seed article publishes:
80.76 (2017) and 81.46 (2019), with 2018 in between (81.11, the midpoint).

Method
------
1. The definition (indicator ids and order, goalposts, directions, weights) is
   read from config/kunming.toml with tomllib; PARAMS below must name exactly the
   same indicators.
2. For indicator i, district d and year y the raw value is

       x = m(i, y) + gradient(i) * (u(d) - u_bar(y))
           + spread(i) * (z(d, i) + 0.35 * e(d, i, y))
           + k(i) * (effect(d) + trend(d) * (y - 2018) + t(y))

   where m is the design city level (linear 2017 -> 2019), u the district's
   urbanity (+1 urban core ... -1 remote rural county; u_bar its population-
   weighted mean), z and e standard normal draws from random.Random(SEED)
   (a persistent district profile and a small yearly wobble), effect and trend a
   district's general standing and drift in score points, and
   k(i) = (hi - lo) / 100, negated for "lower" indicators, which turns score points
   into the indicator's raw units. Values are clamped to their physical range
   (shares 0-100, counts >= 0) and to the goalposts, and rounded to 2 decimals.
3. Indicators with a city-level figure in the article for 2019 (PINNED_2019) are
   shifted, each year, so that their population-weighted district mean equals
   that figure (2019) or its design level (2017, 2018); the calibration leaves
   them alone.
4. Calibration: t(y) is a per-year level factor, in score points, shared by all
   other indicators. For each year it is found by bisection so that the index
   computed exactly as docs/METHODOLOGY.md and DESIGN.md §3 define it (goalposts
   normalisation, weights divided by their sum, arithmetic means, population-
   weighted city total) from the ROUNDED values that are written equals the
   target to within 0.002.
5. The file is written, read back, and the totals are recomputed from the text
   as written and printed.

Standard library only (Python 3.11+); deterministic: running it twice writes the
same bytes. Usage: python3 scripts/make_kunming_sample.py
"""

from __future__ import annotations

import csv
import io
import random
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config" / "kunming.toml"
OUTPUT = ROOT / "samples" / "kunming.csv"

SEED = 26  # a seed whose draws leave no tied composites and a t that rises year by year
YEARS = (2017, 2018, 2019)
# The article's published city-wide scores (2017, 2019); 2018 is set in between.
TARGETS = {2017: 80.76, 2018: 81.11, 2019: 81.46}
TOLERANCE = 0.002

# name, resident population 2019 (10,000 people), annual population growth,
# urbanity u, general effect (score points), yearly drift (score points/year)
DISTRICTS = [
    ("五华区", 90.8, 0.012, 1.00, 2.0, -0.1),
    ("盘龙区", 87.9, 0.013, 0.95, 1.5, 0.0),
    ("官渡区", 103.2, 0.018, 0.90, 1.0, 0.1),
    ("西山区", 79.4, 0.012, 0.85, 0.0, -0.4),
    ("东川区", 27.2, 0.002, -0.70, -3.0, 0.6),
    ("呈贡区", 38.6, 0.040, 0.70, 2.5, 0.4),
    ("晋宁区", 30.4, 0.008, -0.10, -0.5, 0.2),
    ("安宁市", 35.3, 0.015, 0.45, 3.0, -0.2),
    ("富民县", 15.3, 0.003, -0.45, -1.0, 0.1),
    ("宜良县", 43.8, 0.005, -0.30, 0.5, -0.3),
    ("石林彝族自治县", 25.3, 0.004, -0.50, 0.0, 0.0),
    ("嵩明县", 31.9, 0.010, -0.20, -0.5, 0.3),
    ("禄劝彝族苗族自治县", 39.6, 0.001, -0.95, -2.0, 0.2),
    ("寻甸回族彝族自治县", 46.8, 0.002, -0.85, -2.5, 0.3),
]

# id: (design city level 2017, design city level 2019, urban gradient per unit of u,
#      district spread), all in the indicator's raw units.
PARAMS = {
    # 社会活力
    "volunteer_activity": (67.4, 68.21, 3.0, 2.5),
    "volunteer_hours": (86.5, 87.95, 6.0, 5.0),
    "registered_volunteers": (16.3, 16.5, 1.5, 1.0),
    "volunteer_teams": (6.7, 6.8, 0.7, 0.5),
    "social_orgs": (8.5, 8.5, 1.0, 0.6),
    "community_orgs": (8.1, 8.3, 1.5, 0.8),
    "social_workers": (6.4, 6.5, 1.2, 0.6),
    "community_consultation": (89.5, 89.8, 3.0, 2.5),
    "consultation_committee": (69.0, 70.0, 8.0, 5.0),
    "rule_of_law_villages": (15.8, 16.0, 2.0, 1.5),
    "floor_leaders": (84.0, 84.0, 6.0, 5.0),
    "party_alliance": (91.5, 92.5, 6.0, 4.0),
    "party_joint_meeting": (88.5, 89.0, 6.0, 4.0),
    "civilization_practice": (86.0, 86.0, 4.0, 4.0),
    "civilized_villages": (74.0, 73.5, 5.0, 5.0),
    # 社会服务
    "livelihood_spending": (72.5, 72.7, -1.5, 1.8),
    "medical_insurance": (97.58, 97.65, -0.3, 0.7),
    "work_injury_insurance": (96.2, 96.4, 1.5, 1.0),
    "pension_insurance": (96.0, 96.2, 1.0, 1.2),
    "unemployment_rate": (2.95, 3.05, -0.15, 0.3),
    "doctors_per_1000": (3.75, 3.8, 1.0, 0.25),
    "hospital_beds": (7.95, 8.0, 1.0, 0.5),
    "elderly_care_beds": (37.5, 37.0, 3.0, 3.0),
    "home_care_coverage": (89.0, 90.0, 6.0, 4.0),
    "education_consolidation": (97.2, 97.3, 1.0, 0.7),
    "preschool_enrollment": (93.0, 93.5, 3.0, 2.0),
    "public_legal_service": (91.0, 93.0, 4.0, 3.0),
    "online_services": (87.5, 89.0, 4.0, 3.0),
    "grid_management": (94.0, 94.5, 3.0, 2.5),
    "food_safety": (97.8, 97.7, 0.4, 0.5),
    "community_service_facility": (91.5, 92.0, 6.0, 3.0),
    # 社会环境
    "criminal_cases": (27.0, 26.0, 6.0, 3.0),
    "petitions": (7.5, 7.9, 2.0, 1.2),
    "traffic_deaths": (3.2, 3.3, -1.0, 0.5),
    "safety_satisfaction": (96.5, 96.6, 0.6, 0.7),
    "video_surveillance": (95.0, 96.0, 4.0, 2.5),
    "smart_security": (55.0, 58.0, 18.0, 5.0),
    "air_quality": (98.6, 98.3, -0.4, 0.5),
    "pm25": (25.8, 25.6, 1.5, 1.2),
    "forest_cover": (51.2, 51.4, -6.0, 5.0),
    "surface_water_quality": (85.0, 86.0, 0.0, 8.0),
    "black_odorous_water": (91.0, 93.0, 0.0, 4.0),
    "heavy_metal_reduction": (14.2, 14.49, -1.0, 2.5),
    "waste_treatment": (97.8, 98.0, 2.0, 1.0),
    "sewage_treatment": (96.0, 96.3, 2.5, 1.3),
    "park_green": (11.8, 11.8, 0.5, 1.0),
}


def population(year: int) -> list[float]:
    """Resident population (10,000 people) of each district in a year, 1 decimal."""
    return [round(p19 / (1 + g) ** (2019 - year), 1) for _, p19, g, *_ in DISTRICTS]


def pinned_2019() -> dict[str, float]:
    """City-level 2019 figures from the seed article (some dated up to mid-2020)."""
    pop = sum(population(2019))
    return {
        "volunteer_activity": 68.21,  # 志愿者活跃度 68.21%
        "volunteer_hours": 87.95,  # 人均志愿服务时长 87.95 h
        "registered_volunteers": round(115 / pop * 100, 2),  # 115万 registered
        "volunteer_teams": round(4724 / pop, 2),  # 4,724 teams
        "consultation_committee": 70.0,  # 70% of communities
        "livelihood_spending": 72.7,  # 民生支出占比 72.7%
        "medical_insurance": 97.65,  # 城乡基本医疗保险参保率 97.65%
        "forest_cover": 51.4,  # 森林覆盖率 51.4%
        "heavy_metal_reduction": 14.49,  # 重金属排放量较2013年削减14.49%
    }


def fmt(x: float) -> str:
    """At most 2 decimals, no trailing zeros."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def load_definition() -> list[dict]:
    """The indicators of config/kunming.toml in order, with normalised weights."""
    with CONFIG.open("rb") as f:
        cfg = tomllib.load(f)
    dims = cfg["dimension"]
    dim_total = sum(d.get("weight", 1.0) for d in dims)
    out = []
    for d in dims:
        inds = d["indicator"]
        ind_total = sum(i.get("weight", 1.0) for i in inds)
        for i in inds:
            lo, hi = (float(v) for v in i["goalposts"])
            out.append(
                {
                    "id": i["id"],
                    "dim": d["id"],
                    "dim_w": d.get("weight", 1.0) / dim_total,
                    "w": i.get("weight", 1.0) / ind_total,
                    "lo": lo,
                    "hi": hi,
                    "lower": i.get("direction", "higher") == "lower",
                    "share": i.get("unit") == "%",
                }
            )
    return out


def score(ind: dict, x: float) -> float:
    """Goalposts normalisation (DESIGN.md §3)."""
    lo, hi = ind["lo"], ind["hi"]
    r = (hi - x) / (hi - lo) if ind["lower"] else (x - lo) / (hi - lo)
    return 100.0 * min(1.0, max(0.0, r))


def composites(inds: list[dict], rows: list[list[float]]) -> list[float]:
    """Composite of each district; rows[d][i] is indicator i of district d."""
    result = []
    for values in rows:
        dims: dict[str, list[float]] = {}
        dim_w: dict[str, float] = {}
        for ind, x in zip(inds, values):
            dims.setdefault(ind["dim"], []).append(ind["w"] * score(ind, x))
            dim_w[ind["dim"]] = ind["dim_w"]
        result.append(sum(dim_w[k] * sum(v) for k, v in dims.items()))
    return result


def total(pop: list[float], comp: list[float]) -> float:
    """Population-weighted mean of the district composites."""
    return sum(p * c for p, c in zip(pop, comp)) / sum(pop)


def bisect(f, target: float, lo: float = -40.0, hi: float = 40.0) -> float:
    """The argument, among the last bracket of a bisection on a non-decreasing
    step function f, whose value is nearest to target."""
    for _ in range(80):
        mid = (lo + hi) / 2
        if f(mid) < target:
            lo = mid
        else:
            hi = mid
    return lo if abs(f(lo) - target) < abs(f(hi) - target) else hi


class Generator:
    def __init__(self, inds: list[dict]):
        self.inds = inds
        rng = random.Random(SEED)
        n = len(DISTRICTS)
        self.z = [[rng.gauss(0, 1) for _ in range(n)] for _ in inds]
        self.e = {
            y: [[rng.gauss(0, 1) for _ in range(n)] for _ in inds] for y in YEARS
        }
        self.pins = pinned_2019()

    def column(self, k: int, year: int, shift: float) -> list[float]:
        """Indicator k in every district for a year, shifted by `shift` score
        points, clamped and rounded as written."""
        ind = self.inds[k]
        m17, m19, gradient, spread = PARAMS[ind["id"]]
        level = m17 + (m19 - m17) * (year - 2017) / 2
        pop = population(year)
        u_bar = sum(p * d[3] for p, d in zip(pop, DISTRICTS)) / sum(pop)
        unit = (ind["hi"] - ind["lo"]) / 100 * (-1 if ind["lower"] else 1)
        col = []
        for j, (_, _, _, u, effect, drift) in enumerate(DISTRICTS):
            x = level + gradient * (u - u_bar)
            x += spread * (self.z[k][j] + 0.35 * self.e[year][k][j])
            x += unit * (effect + drift * (year - 2018) + shift)
            x = max(0.0, x)
            if ind["share"]:
                x = min(100.0, x)
            # Inside the goalposts: a value beyond them scores the same (0 or
            # 100), and the bundled sample should pass `kmgov check` cleanly.
            x = min(max(x, ind["lo"]), ind["hi"])
            col.append(float(fmt(x)))
        return col

    def pinned_column(self, k: int, year: int) -> list[float]:
        """A pinned indicator, shifted so its population-weighted mean is the
        article's 2019 figure (or the design level in earlier years)."""
        ind = self.inds[k]
        m17, m19, _, _ = PARAMS[ind["id"]]
        anchor = self.pins[ind["id"]] if year == 2019 else m17 + (m19 - m17) * (year - 2017) / 2
        pop = population(year)

        def mean(shift: float) -> float:
            return total(pop, self.column(k, year, shift))

        return self.column(k, year, bisect(mean, anchor))

    def year(self, year: int) -> tuple[float, list[list[float]]]:
        """Calibrate a year: returns the factor t and rows[d][i]."""
        fixed = {
            k: self.pinned_column(k, year)
            for k, ind in enumerate(self.inds)
            if ind["id"] in self.pins
        }
        pop = population(year)

        def rows(t: float) -> list[list[float]]:
            cols = [
                fixed[k] if k in fixed else self.column(k, year, t)
                for k in range(len(self.inds))
            ]
            return [list(r) for r in zip(*cols)]

        def city(t: float) -> float:
            return total(pop, composites(self.inds, rows(t)))

        t = bisect(city, TARGETS[year])
        return t, rows(t)


def read_back(inds: list[dict]) -> dict[int, tuple[float, list[float]]]:
    """Totals and composites recomputed from the file as written."""
    text = OUTPUT.read_bytes().decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    ids = header[3:]
    assert ids == [i["id"] for i in inds], "header does not follow the config order"
    by_year: dict[int, tuple[list[float], list[list[float]]]] = {}
    for rec in reader:
        pop, rows = by_year.setdefault(int(rec[1]), ([], []))
        pop.append(float(rec[2]))
        rows.append([float(v) for v in rec[3:]])
    out = {}
    for y, (pop, rows) in by_year.items():
        comp = composites(inds, rows)
        out[y] = (total(pop, comp), comp)
    return out


def main() -> int:
    inds = load_definition()
    ids = [i["id"] for i in inds]
    if sorted(ids) != sorted(PARAMS):
        missing = sorted(set(ids) - set(PARAMS))
        extra = sorted(set(PARAMS) - set(ids))
        print(f"PARAMS and config differ: missing {missing}, extra {extra}", file=sys.stderr)
        return 1

    gen = Generator(inds)
    lines = [["district", "year", "population", *ids]]
    factors = {}
    for y in YEARS:
        t, rows = gen.year(y)
        factors[y] = t
        for (name, *_), p, values in zip(DISTRICTS, population(y), rows):
            lines.append([name, str(y), fmt(p), *(fmt(v) for v in values)])

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(lines)
    OUTPUT.write_bytes(buf.getvalue().encode("utf-8"))

    ok = True
    for y, (city, comp) in sorted(read_back(inds).items()):
        target = TARGETS[y]
        hit = abs(city - target) <= TOLERANCE and f"{city:.2f}" == f"{target:.2f}"
        distinct = len({round(c, 2) for c in comp}) == len(comp)
        ok &= hit and distinct
        print(
            f"{y}: total {city:.6f} (target {target:.2f}, factor t = {factors[y]:+.4f})"
            f"{'' if hit else '  MISSED TARGET'}{'' if distinct else '  TIED COMPOSITES'}"
        )
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(lines) - 1} rows, {len(ids)} indicators")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
