#!/usr/bin/env python3
"""Writes the seed corpora in fuzz/corpus/<target>/ (run from anywhere).

The seeds are small, valid or nearly valid inputs that reach every branch a
user can choose: each normalization, aggregation, missing-value rule and
total; wide and long CSV; UTF-8 with and without a BOM, GBK, UTF-16, CRLF,
quotes, percentages, missing markers and full-width digits. libFuzzer mutates
them from there. Re-running this script rewrites the same files; seeds named
`regression-*` (inputs that once crashed a target) are kept.
"""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"


def head(path, lines):
    text = (ROOT / path).read_text(encoding="utf-8")
    return "".join(text.splitlines(keepends=True)[:lines])


def definition(name, method="", indicators=None, data="", extra=""):
    """A tiny definition with two dimensions over columns x, y, z."""
    indicators = indicators or {}
    x = indicators.get("x", "")
    y = indicators.get("y", 'direction = "lower"\n')
    z = indicators.get("z", "")
    return (
        f'[index]\nname = "{name}"\ndecimals = 2\n'
        + (f"[data]\n{data}" if data else "")
        + (f"[method]\n{method}" if method else "")
        + '[[dimension]]\nid = "a"\nweight = 1\n'
        + f'[[dimension.indicator]]\nid = "x"\n{x}'
        + f'[[dimension.indicator]]\nid = "y"\n{y}'
        + '[[dimension]]\nid = "b"\nweight = 2\n'
        + f'[[dimension.indicator]]\nid = "z"\n{z}'
        + extra
    )


GOALPOSTS = {
    "x": "goalposts = [0, 100]\n",
    "y": 'direction = "lower"\ngoalposts = [0, 50]\n',
    "z": "goalposts = [80, 100]\n",
}

DEFINITIONS = {
    "minmax": definition("minmax", 'normalize = "minmax"\n'),
    "zscore": definition("zscore", 'normalize = "zscore"\nscope = "pooled"\n'),
    "goalposts": definition("goalposts", 'normalize = "goalposts"\n', GOALPOSTS),
    "efficacy": definition("efficacy", 'normalize = "efficacy"\n'),
    "rank": definition("rank", 'normalize = "rank"\n'),
    "none": definition("none", 'normalize = "none"\n'),
    "geometric": definition(
        "geometric", 'normalize = "goalposts"\naggregate = "geometric"\n', GOALPOSTS
    ),
    "harmonic": definition(
        "harmonic", 'normalize = "efficacy"\naggregate = "harmonic"\n'
    ),
    "skip": definition("skip", 'missing = "skip"\n'),
    "mean": definition("mean", 'missing = "mean"\n'),
    "carry": definition("carry", 'missing = "carry"\nscope = "pooled"\n'),
    "population": definition(
        "population",
        'total = "population"\nmissing = "skip"\n',
        data='population = "population"\n',
    ),
    "total-none": definition("total-none", 'total = "none"\n'),
    "override": definition(
        "override",
        'normalize = "rank"\n',
        {"x": 'normalize = "none"\nweight = 0.5\nunit = "%"\nname = "X 指标"\n',
         "z": 'normalize = "goalposts"\ngoalposts = [0, 1e3]\n'},
    ),
    "columns": definition(
        "columns",
        "",
        data='unit = "district"\nperiod = "year"\n',
        extra="",
    ).replace('[index]\n', '[index]\nlabel = "小测试指数"\n'),
}

# Definitions that must be rejected, each for one reason.
INVALID = {
    "unknown-key": definition("typo", 'normalise = "minmax"\n'),
    "bad-goalposts": definition(
        "bad", 'normalize = "goalposts"\n', {"x": "goalposts = [100, 0]\n"}
    ),
    "negative-weight": definition("neg", "", {"x": "weight = -1\n"}),
    "duplicate-id": definition("dup", "", {"y": 'id = "x"\n'}).replace(
        'id = "y"\nid = "x"\n', 'id = "x"\n'
    ),
    "zero-weights": definition("zero", "", {"x": "weight = 0\n", "y": "weight = 0\n"}),
    "no-goalposts": definition("nogp", 'normalize = "goalposts"\n'),
    "syntax": '[index\nname = "x"\n',
}

# Data for the tiny definitions: columns unit, period, population, x, y, z.
WIDE = (
    "unit,period,population,x,y,z\n"
    "A,2018,100,60,20,95\n"
    "B,2018,50,80,10,90\n"
    "C,2018,50,40,30,85\n"
    "A,2019,100,70,15,96\n"
    "B,2019,50,80,10,92\n"
    "C,2019,50,68.21%,25,97.65\n"
)
# The same with gaps, for the missing-value rules.
GAPS = WIDE.replace(",25,97.65", ",NA,97.65").replace("B,2019,50,80,10,92", "B,2019,50,,10,92")
LONG = (
    "unit,period,indicator,value\n"
    "A,2018,x,60\nA,2018,y,20\nA,2018,z,95\nA,2018,population,100\n"
    "B,2018,x,80\nB,2018,y,10\nB,2018,z,90\nB,2018,population,50\n"
    "A,2019,x,70\nA,2019,y,\nA,2019,z,96\nA,2019,population,100\n"
    "B,2019,x,-\nB,2019,y,—\nB,2019,z,..\nB,2019,population,N/A\n"
)
ODD = (
    '\ufeff unit ,"period",population,x,y,z,extra\r\n'
    '"A, the first",2018,"1,000",６０,20,95,ignored\r\n'
    '"B ""quoted""",2018,50,80,10,90\r\n'
    "C,2018,50,1e2,-0.5,NA,\r\n"
    '"A, the first",2019,1000,70,15,96,x\r\n'
    "C,2019,50,68.21%,N/A,97.65,\r\n"
)
DISTRICTS = (
    "district,year,population,x,y,z\n"
    "五华区,2018,114.3,60,20,95\n"
    "盘龙区,2018,98.6,80,10,90\n"
    "五华区,2019,114.3,70,15,96\n"
    "盘龙区,2019,98.6,80,10,92\n"
)


def write(target, name, content):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def main():
    for target in ("definition", "csv", "score", "differential"):
        folder = CORPUS / target
        if folder.exists():
            for old in folder.iterdir():
                if not old.name.startswith("regression-"):
                    old.unlink()

    kunming_toml = (ROOT / "config" / "kunming.toml").read_text(encoding="utf-8")
    small_toml = (ROOT / "tests" / "data" / "small.toml").read_text(encoding="utf-8")
    small_csv = (ROOT / "tests" / "data" / "small.csv").read_text(encoding="utf-8")
    kunming_csv = head("samples/kunming.csv", 5)

    # definition: the config parser.
    write("definition", "kunming.toml", kunming_toml)
    write("definition", "small.toml", small_toml)
    for name, text in DEFINITIONS.items():
        write("definition", f"{name}.toml", text)
    for name, text in INVALID.items():
        write("definition", f"invalid-{name}.toml", text)

    # csv: the reader, against the target's fixed definition (unit, period,
    # population, x, y, z) and the built-in Kunming one (district, year, ...).
    write("csv", "kunming-head.csv", kunming_csv)
    write("csv", "small.csv", small_csv)
    write("csv", "wide.csv", WIDE)
    write("csv", "long.csv", LONG)
    write("csv", "odd-bom-crlf-quotes.csv", ODD)
    write("csv", "wide-crlf.csv", WIDE.replace("\n", "\r\n"))
    write("csv", "wide-bom.csv", "\ufeff" + WIDE)
    write("csv", "small-gbk.csv", small_csv.encode("gbk"))
    write("csv", "kunming-gbk.csv", kunming_csv.encode("gb18030"))
    write("csv", "wide-utf16le.csv", "\ufeff".encode("utf-16-le") + WIDE.encode("utf-16-le"))
    write("csv", "header-only.csv", "unit,period,x,y,z\n")
    write("csv", "long-kunming.csv",
          "district,year,indicator,value\n"
          "五华区,2019,volunteer_activity,70.2\n"
          "五华区,2019,population,114.3\n"
          "五华区,2019,pm25,23\n")

    # score: definition, NUL, data.
    def pair(name, toml, csv):
        if isinstance(csv, str):
            csv = csv.encode("utf-8")
        write("score", name, toml.encode("utf-8") + b"\0" + csv)

    pair("small", small_toml, small_csv)
    pair("kunming", kunming_toml, kunming_csv)
    pair("small-gbk", small_toml, small_csv.encode("gbk"))
    for name, text in DEFINITIONS.items():
        data = DISTRICTS if name == "columns" else WIDE
        if name in ("skip", "mean", "carry", "population"):
            data = GAPS
        pair(f"{name}-wide", text, data)
    pair("population-long", DEFINITIONS["population"], LONG)
    pair("skip-long", DEFINITIONS["skip"], LONG)
    pair("carry-odd", DEFINITIONS["carry"],
         ODD.replace(",extra", "").replace(",ignored", "").replace(",x\r", "\r")
         .replace("NA,\r", "NA\r").replace("97.65,\r", "97.65\r"))
    pair("mean-crlf-bom", DEFINITIONS["mean"], "\ufeff" + GAPS.replace("\n", "\r\n"))
    pair("error-gaps", DEFINITIONS["minmax"], GAPS)
    pair("geometric-zero", DEFINITIONS["geometric"], WIDE.replace("A,2018,100,60", "A,2018,100,0"))
    pair("rank-ties", DEFINITIONS["rank"],
         "unit,period,x,y,z\nA,1,1,1,1\nB,1,1,1,1\nC,1,2,2,2\nA,10,1,2,3\nB,2,3,2,1\n")
    pair("text-periods", DEFINITIONS["minmax"],
         "unit,period,x,y,z\nA,2019Q1,1,2,3\nB,2019Q1,3,2,1\nA,2019Q2,2,2,2\n")

    # differential: bytes that describe a panel (see the target's comment):
    # flags (7 = 64 KiB of Chinese rows first, 39 of ASCII rows), method, units - 2, periods - 1, a
    # pick from the names per unit, then two bytes per value (FF.. missing).
    def panel(name, flags, method, units, periods, picks, values):
        head = bytes([flags, method, units - 2, periods - 1] + picks)
        write("differential", name, head + bytes(values))

    def values(count, seed):
        out = []
        for i in range(count):
            v = (seed * 7919 + i * 104729) % 60000
            out += [v >> 8, v & 0xFF]
        return out

    panel("minmax-chinese", 0, 0, 4, 3, [0, 0, 0, 0], values(24, 1))
    panel("zscore-latin", 0, 1, 3, 2, [5, 5, 5], values(12, 2))
    panel("goalposts-mixed-names", 0, 2, 5, 1, [0, 4, 0, 3, 5], values(10, 3))
    panel("efficacy-rare-character", 0, 3, 2, 3, [9, 0], values(12, 4))
    panel("rank-ties", 0, 4, 4, 2, [1, 2, 3, 4], [0, 100] * 16)
    panel("missing-value", 0, 0, 3, 2, [0, 1, 2], [0xFF, 0] + values(11, 5))
    panel("past-the-sample", 7, 0, 3, 2, [0, 5, 6], values(12, 6))
    panel("past-the-sample-ascii", 39, 2, 2, 1, [5, 6], values(4, 7))


if __name__ == "__main__":
    main()
