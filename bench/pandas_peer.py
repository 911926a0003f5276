"""The peer in `npm run bench`: what a data team would write by hand with pandas.

Loads the book's revenue_lines and accounts CSV, sums each account's trailing-twelve-month revenue (the 12
calendar months ending with the period's month), puts it in a bracket (High over 100k, Medium 10k-100k, Low
under 10k, Inactive at or under 0) and computes per-segment and portfolio KPIs. Prints one JSON line: wall
time, peak memory, and the numbers, so the bench can put them beside revseg's run.

It does no validation, quarantine, FX, prediction, clustering, snapshot or mail: it is the floor a hand-written
script sets, not an equal.
"""

import json
import resource
import sys
import time

import pandas as pd


def main(data_dir: str, period_end: str) -> None:
    started = time.perf_counter()
    lines = pd.read_csv(
        f"{data_dir}/revenue_lines.csv",
        usecols=["account_id", "booked_on", "amount"],
        dtype={"account_id": "string", "booked_on": "string"},
        engine="pyarrow",
    )
    accounts = pd.read_csv(f"{data_dir}/accounts.csv", usecols=["account_id"], dtype="string", engine="pyarrow")
    lines["amount"] = pd.to_numeric(lines["amount"], errors="coerce")
    lines["booked_on"] = pd.to_datetime(lines["booked_on"], errors="coerce", format="%Y-%m-%d")
    end = pd.Timestamp(period_end)
    start = (end - pd.offsets.MonthBegin(1)) - pd.DateOffset(months=11)
    window = lines[(lines["booked_on"] >= start) & (lines["booked_on"] <= end)]
    t12m = window.groupby("account_id")["amount"].sum()
    book = accounts.drop_duplicates("account_id").set_index("account_id")
    book["t12m"] = t12m.reindex(book.index).fillna(0.0)
    bins = [-float("inf"), 0.0, 10_000.0, 100_000.0, float("inf")]
    book["segment"] = pd.cut(book["t12m"], bins=bins, labels=["Inactive", "Low", "Medium", "High"], right=True)
    # 10,000 and 100,000 belong to Medium, so move the values that sit exactly on the lower edges
    book.loc[book["t12m"] == 10_000.0, "segment"] = "Medium"
    active = book[book["t12m"] > 0]
    total = active["t12m"].sum()
    segments = book.groupby("segment", observed=False).agg(accounts=("t12m", "size"), revenue=("t12m", "sum"))
    segments["share"] = segments["revenue"] / total if total else 0.0
    segments["arpa"] = segments["revenue"] / segments["accounts"].where(segments["accounts"] > 0)
    ranked = active["t12m"].sort_values(ascending=False)
    top = max(1, len(ranked) // 10)
    portfolio = {
        "accounts": int(len(book)),
        "active_accounts": int(len(active)),
        "revenue_t12m": float(total),
        "arpa": float(total / len(active)) if len(active) else None,
        "top_10pct_share": float(ranked.iloc[:top].sum() / total) if total else None,
    }
    elapsed_ms = (time.perf_counter() - started) * 1000
    print(
        json.dumps(
            {
                "totalMs": round(elapsed_ms),
                # ru_maxrss is in kilobytes on Linux
                "maxRssMb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "lines": int(len(lines)),
                "portfolio": portfolio,
                "segments": {
                    str(name): {"accounts": int(row.accounts), "revenue": float(row.revenue)}
                    for name, row in segments.iterrows()
                },
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
