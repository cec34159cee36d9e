#!/usr/bin/env python3
"""Derives data/french-size-value-1949-2017.csv from the Fama/French data that the
PyPI package linearmodels 7.1 ships (linearmodels/datasets/french/french.csv.bz2).

The package holds monthly returns (decimals) of Kenneth R. French's size-by-value
portfolios and the one-month T-bill rate, 1949-01 to 2017-03. This script turns five of
them into total-return index levels starting at 100 on 1948-12-31, dated at month ends:

    large-growth  S5V1  large firms, low book-to-market
    large-value   S5V5  large firms, high book-to-market
    small-growth  S1V1  small firms, low book-to-market
    small-value   S1V5  small firms, high book-to-market
    t-bills       RF    one-month Treasury bills

Usage: python data/derive_french.py   (downloads the wheel with pip; no other network)
"""

import bz2
import calendar
import csv
import io
import os
import subprocess
import sys
import tempfile
import zipfile

COLUMNS = [("large-growth", "S5V1"), ("large-value", "S5V5"), ("small-growth", "S1V1"), ("small-value", "S1V5"), ("t-bills", "RF")]
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "french-size-value-1949-2017.csv")


def main():
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "linearmodels==7.1", "-d", tmp],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wheel = next(os.path.join(tmp, f) for f in os.listdir(tmp) if f.endswith(".whl"))
        with zipfile.ZipFile(wheel) as z:
            raw = bz2.decompress(z.read("linearmodels/datasets/french/french.csv.bz2")).decode()
    rows = list(csv.DictReader(io.StringIO(raw)))
    levels = [100.0] * len(COLUMNS)
    with open(OUT, "w", newline="") as f:
        f.write("date," + ",".join(name for name, _ in COLUMNS) + "\n")
        f.write("1948-12-31," + ",".join(f"{x:.6f}" for x in levels) + "\n")
        for row in rows:
            year, month = int(row["dates"][:4]), int(row["dates"][5:7])
            for i, (_, source) in enumerate(COLUMNS):
                levels[i] *= 1.0 + float(row[source])
            day = calendar.monthrange(year, month)[1]
            f.write(f"{year:04d}-{month:02d}-{day:02d}," + ",".join(f"{x:.6f}" for x in levels) + "\n")
    print(f"wrote {OUT}: {len(rows) + 1} dates")


if __name__ == "__main__":
    main()
