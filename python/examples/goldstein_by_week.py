#!/usr/bin/python3
"""Mean Goldstein score per ISO week for the most active country-level dyads.

    PYTHONPATH=build/python /usr/bin/python3 python/examples/goldstein_by_week.py \
        [--corpus data/sample/corpus.jsonl] [--out docs/img/goldstein-by-week.png]

Codes the corpus, groups the events by directed dyad (source country ->
target country) and ISO week, prints the table and plots the mean Goldstein
score (-10 most conflictual, +10 most cooperative) of the top dyads. This is
the notebook example of docs/python.md.
"""

import argparse
import json
import os

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

import dyad  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=os.path.join(REPO, "data", "sample", "corpus.jsonl"))
    parser.add_argument("--out", default=os.path.join(REPO, "docs", "img", "goldstein-by-week.png"))
    parser.add_argument("--top", type=int, default=4, help="how many dyads to plot")
    args = parser.parse_args()

    # 1. Code the corpus: one event dict per line of `dyad code` output.
    with open(args.corpus, encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    coder = dyad.Coder()
    events = dyad.to_frame(coder.code_many(docs))
    print(f"{len(docs)} documents -> {len(events)} events")

    # 2. Country-level dyads with both sides known, and ISO weeks.
    events = events[(events.source_country != "---") & (events.target_country != "---")
                    & (events.source_country != events.target_country)].copy()
    events["dyad"] = (events.source_country.astype(str) + " -> "
                      + events.target_country.astype(str))
    iso = events.date.dt.isocalendar()
    events["week"] = iso.year.astype(str) + "-W" + iso.week.astype(str).str.zfill(2)
    events["week_start"] = events.date - pd.to_timedelta(events.date.dt.weekday, unit="D")

    # 3. Mean Goldstein per dyad and week, for the most active dyads.
    top = events.dyad.value_counts().head(args.top).index.tolist()
    weekly = (events[events.dyad.isin(top)]
              .groupby(["dyad", "week", "week_start"], observed=True)
              .goldstein.agg(["mean", "size"]).reset_index())
    with pd.option_context("display.width", 120, "display.max_rows", 100):
        print(weekly.drop(columns="week_start").to_string(index=False))

    # 4. Plot: one line per dyad, marker area = number of events that week.
    fig, ax = plt.subplots(figsize=(10, 5), dpi=100)
    for name in top:
        d = weekly[weekly.dyad == name].sort_values("week_start")
        line, = ax.plot(d.week_start, d["mean"], marker="", linewidth=1, alpha=0.6)
        ax.scatter(d.week_start, d["mean"], s=30 * d["size"], color=line.get_color(),
                   label=f"{name} ({int(d['size'].sum())} events)", zorder=3)
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_ylim(-10.5, 10.5)
    ax.set_ylabel("mean Goldstein score (ISO week)")
    ax.set_title(f"Mean Goldstein by ISO week, top {len(top)} dyads: "
                 f"{os.path.relpath(args.corpus, REPO)}")
    ax.legend(loc="upper left", fontsize=9)
    ax.grid(alpha=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    fig.savefig(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
