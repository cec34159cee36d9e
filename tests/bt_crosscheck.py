#!/usr/bin/env python3
"""Cross-check of `uma simulate --policy full` against bt, a peer library on PyPI.

bt implements threshold rebalancing with `RunIfOutOfBounds` (a relative tolerance around
each target weight) followed by `Rebalance` to the target weights. With the `full` policy,
relative bands, daily looks and no costs, `uma simulate` must make the same rebalances on
the same dates and end with the same value, within one dollar per million.

For each case the script times both (uma as a whole process, bt as its run) and prints
the ratio. It ends with a `test result:` line that `cargo xtask test` counts.

Usage: python tests/bt_crosscheck.py UMA_BINARY
"""

import json
import os
import subprocess
import sys
import tempfile
import time

import bt
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
UMA = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "target", "cli", "uma")


def uma(*args):
    out = subprocess.run([UMA, *args], check=True, capture_output=True, text=True)
    return out.stdout


def scenario_for(targets, band_width, value):
    """A scenario starting on target, relative bands, no cash: what bt can express."""
    return {
        "version": 1,
        "strategy": {
            "models": [{"id": m, "name": m, "target": str(t)} for m, t in targets.items()],
            "cash_target": "0",
            "band": {"kind": "relative", "width": str(band_width)},
            "range": {"mode": "target"},
            "step": "1",
        },
        "account": {
            "cash": "0",
            "sleeves": [{"model": m, "value": f"{value * t / 100:.2f}"} for m, t in targets.items()],
        },
    }


def run_uma(scenario_file, prices_file):
    args = ["simulate", scenario_file, "--prices", prices_file, "--policy", "full", "--look", "daily"]
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = json.loads(uma(*args))
        best = min(best, time.perf_counter() - start)
    dates = [event["date"] for event in result["rebalances"]]
    return dates, float(result["final_value"]), best


def run_bt(prices_file, targets, band_width, value):
    data = pd.read_csv(prices_file, index_col=0, parse_dates=True)
    weights = {m: t / 100 for m, t in targets.items()}
    strategy = bt.Strategy(
        "threshold",
        [
            bt.algos.SelectAll(),
            bt.algos.WeighSpecified(**weights),
            bt.algos.RunIfOutOfBounds(band_width / 100),
            bt.algos.Rebalance(),
        ],
    )
    test = bt.Backtest(strategy, data, initial_capital=float(value), integer_positions=False, progress_bar=False)
    start = time.perf_counter()
    result = bt.run(test)
    elapsed = time.perf_counter() - start
    transactions = result.get_transactions().reset_index()
    first = data.index[0]
    dates = sorted({d.strftime("%Y-%m-%d") for d in transactions["Date"] if d != first})
    final = float(result.backtests["threshold"].strategy.values.iloc[-1])
    return dates, final, elapsed


def check(name, prices_file, targets, band_width, value, scenario_file=None):
    with tempfile.TemporaryDirectory() as tmp:
        if scenario_file is None:
            scenario_file = os.path.join(tmp, "scenario.json")
            with open(scenario_file, "w") as f:
                json.dump(scenario_for(targets, band_width, value), f)
        ours, our_final, our_time = run_uma(scenario_file, prices_file)
    theirs, their_final, their_time = run_bt(prices_file, targets, band_width, value)
    tolerance = their_final / 1_000_000
    same_dates = ours == theirs
    same_value = abs(our_final - their_final) <= tolerance
    ok = same_dates and same_value
    print(
        f"{'ok  ' if ok else 'FAIL'} {name}: {len(ours)} rebalances (bt {len(theirs)}), "
        f"final {our_final:,.2f} vs bt {their_final:,.2f} (diff {our_final - their_final:+.4f}, allowed ±{tolerance:.2f}); "
        f"uma {our_time * 1000:.1f} ms, bt {their_time * 1000:.0f} ms: {their_time / our_time:.0f}x faster"
    )
    if not same_dates:
        missing = sorted(set(theirs) - set(ours))[:5]
        extra = sorted(set(ours) - set(theirs))[:5]
        print(f"     dates only bt rebalanced: {missing}; only uma: {extra}")
    return ok


def main():
    cases = []
    scenarios = os.path.join(ROOT, "tests", "scenarios")
    cases.append(
        (
            "paper 70/30, 8% relative bands, four months",
            os.path.join(scenarios, "prices-growth-value.csv"),
            {"growth": 70, "value": 30},
            8,
            100_000,
            os.path.join(scenarios, "paper-seventy-thirty-on-target.json"),
        )
    )
    with tempfile.TemporaryDirectory() as tmp:
        daily = os.path.join(tmp, "thirty-years.csv")
        with open(daily, "w") as f:
            f.write(uma("market", os.path.join(ROOT, "tests", "markets", "thirty-years-daily-five.json")))
        targets = {"us-large": 30, "us-small": 10, "intl": 18, "emerging": 7, "bonds": 35}
        cases.append(("random market, 30 years daily, five models, 20% relative bands", daily, targets, 20, 1_000_000, None))
        cases.append(("random market, 30 years daily, five models, 10% relative bands", daily, targets, 10, 1_000_000, None))
        historical = os.path.join(ROOT, "data", "french-size-value-1949-2017.csv")
        if os.path.exists(historical):
            french = {"large-growth": 30, "large-value": 30, "small-growth": 10, "small-value": 10, "t-bills": 20}
            cases.append(("Fama/French size-value portfolios, monthly 1949-2017, 25% bands", historical, french, 25, 1_000_000, None))
        results = [check(*case) for case in cases]
    passed = sum(results)
    failed = len(results) - passed
    print(f"test result: {'ok' if failed == 0 else 'FAILED'}. {passed} passed; {failed} failed (bt cross-check)")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
