#!/usr/bin/env python3
"""Draws the accuracy levers of issue 14 from the runs' metrics.json (bioner train --test ...): dev and test micro F1
per run next to scispaCy's CRAFT model and the 0.80 goal, and test F1 per entity type.

    /usr/bin/python3 benchmarks/experiments/plot-levers.py "seed recipe=runs/seed" "lr 1e-4 + CRF=runs/crf" \
        --out docs/craft-minilm-levers.png

Needs matplotlib (Debian: python3-matplotlib)."""
import argparse
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import figures  # noqa: E402  (this folder's shared helpers)

TYPES = ["Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="LABEL=DIR: a run folder holding metrics.json with test scores")
    ap.add_argument("--out", required=True, help="PNG to write")
    args = ap.parse_args()
    runs = []
    for spec in args.runs:
        label, sep, folder = spec.partition("=")
        path = pathlib.Path(folder) / "metrics.json"
        if not sep or not path.is_file():
            print(f"plot-levers: {spec!r} is not LABEL=DIR with DIR/metrics.json", file=sys.stderr)
            return 2
        m = json.loads(path.read_text())
        if "test_f1" not in m:
            print(f"plot-levers: {path} has no test scores (train without --test)", file=sys.stderr)
            return 2
        runs.append((label, m))

    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 4.8), gridspec_kw={"width_ratios": [1, 1.6]})
    x = range(len(runs))
    w = 0.38
    dev = [m["eval_f1"] for _, m in runs]
    test = [m["test_f1"] for _, m in runs]
    left.bar([i - w / 2 for i in x], dev, w, label="dev F1")
    bars = left.bar([i + w / 2 for i in x], test, w, label="test F1")
    for b, v in zip(bars, test):
        left.annotate(f"{v:.3f}", (b.get_x() + b.get_width() / 2, v), ha="center", va="bottom", fontsize=8)
    left.axhline(0.78, color="gray", ls="--", lw=1, label="scispaCy en_ner_craft_md (0.78)")
    left.axhline(0.80, color="crimson", ls=":", lw=1, label="goal: test F1 0.80")
    left.set_xticks(list(x), [label for label, _ in runs], rotation=20, ha="right", fontsize=8)
    left.set_ylim(0.70, 0.90)
    left.set_ylabel("micro F1 (seqeval)")
    left.set_title("CRAFT-IOB, MiniLM: micro F1")
    left.legend(fontsize=7, loc="upper left", ncol=2)

    n = len(runs)
    tw = 0.8 / n
    for k, (label, m) in enumerate(runs):
        report = m.get("test_report", {})
        vals = [report.get(t, {}).get("f1-score", 0.0) for t in TYPES]
        right.bar([i - 0.4 + tw * (k + 0.5) for i in range(len(TYPES))], vals, tw, label=label)
    right.set_xticks(range(len(TYPES)), TYPES)
    right.set_ylim(0.4, 1.0)
    right.set_ylabel("test F1")
    right.set_title("test F1 per entity type")
    right.legend(fontsize=7, loc="upper left", ncol=2)
    figures.save(fig, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
