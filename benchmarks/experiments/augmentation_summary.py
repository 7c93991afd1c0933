#!/usr/bin/env python3
"""Markdown tables for the augmentation experiment (benchmarks/experiments/augmentation.sh).

Reads OUT/{baseline,augmented}-S/metrics.json and trainer_state.json, OUT/augment-S.log and OUT/times.tsv for each
seed S given on the command line, and prints per-run scores, per-type F1, the augmentation reports, per-epoch dev F1,
and mean / sample standard deviation / paired difference over the seeds. Standard library only.

Usage: augmentation_summary.py OUT SEED [SEED ...]
"""
import json
import os
import re
import statistics
import sys

ALL_RUNS = ("baseline", "augmented", "duplicated")
RUNS = ALL_RUNS[:2]
DESCRIPTION = {
    "baseline": ("train.conll", "360"),
    "augmented": ("train.conll + MR copy (seed {s})", "720 (360 + 360 MR)"),
    "duplicated": ("train.conll twice (control)", "720 (360 × 2)"),
}


def load(out, run, seed):
    folder = os.path.join(out, f"{run}-{seed}")
    path = os.path.join(folder, "metrics.json")
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        metrics = json.load(f)
    with open(os.path.join(folder, "trainer_state.json"), encoding="utf-8") as f:
        state = json.load(f)
    evals = [e for e in state["log_history"] if "eval_f1" in e]
    return {"m": metrics, "evals": evals, "best": max(evals, key=lambda e: e["eval_f1"]) if evals else None}


def times(out):
    result = {}
    path = os.path.join(out, "times.tsv")
    if os.path.exists(path):
        for line in open(path, encoding="utf-8"):
            name, seconds, rc = line.rstrip("\n").split("\t")[:3]
            result[name] = (int(seconds), int(rc))
    return result


def augment_report(out, seed):
    """Parses the table `bioner augment` prints: type, mentions, replaced, share, no-candidate."""
    path = os.path.join(out, f"augment-{seed}.log")
    rows, header = [], ""
    if not os.path.exists(path):
        return header, rows
    for line in open(path, encoding="utf-8"):
        if line.startswith("mention-replacement:"):
            header = line.strip()
        m = re.match(r"^(\S+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s*$", line)
        if m:
            rows.append((m.group(1), int(m.group(2)), int(m.group(3)), m.group(4), int(m.group(5))))
    return header, rows


def pct(x):
    return f"{100 * x:.2f}"


def mean_sd(values):
    if not values:
        return "–"
    if len(values) == 1:
        return f"{100 * values[0]:.2f}"
    return f"{100 * statistics.mean(values):.2f} ± {100 * statistics.stdev(values):.2f}"


def main():
    global RUNS
    out, seeds = sys.argv[1], sys.argv[2:]
    t = times(out)
    data = {(r, s): load(out, r, s) for r in ALL_RUNS for s in seeds}
    RUNS = tuple(r for r in ALL_RUNS if r in RUNS or any(data[(r, s)] for s in seeds))

    print("### Per run (dev set, kept = best epoch by dev F1)\n")
    print("| seed | training data | sentences | best epoch | total steps | P | R | F1 | accuracy | wall | train loop |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for s in seeds:
        for r in RUNS:
            d = data[(r, s)]
            if d is None:
                print(f"| {s} | {r} | – | – | – | – | – | not finished | – | – | – |")
                continue
            m, best = d["m"], d["best"]
            wall = t.get(f"{r}-{s}", ("?", 0))[0]
            name, n = DESCRIPTION[r][0].format(s=s), DESCRIPTION[r][1]
            print(f"| {s} | {name} | {n} | {best['epoch']:g} | {m['global_step']} | {pct(m['eval_precision'])} | "
                  f"{pct(m['eval_recall'])} | **{pct(m['eval_f1'])}** | {pct(m['eval_accuracy'])} | {wall} s | "
                  f"{m['train_seconds']:.0f} s |")

    print("\n### Mean ± sample standard deviation over seeds " + ", ".join(seeds) + "\n")
    print("| training data | P | R | F1 | accuracy | wall (range) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in RUNS:
        ok = [data[(r, s)]["m"] for s in seeds if data[(r, s)]]
        walls = [t[f"{r}-{s}"][0] for s in seeds if f"{r}-{s}" in t]
        cols = [mean_sd([m[k] for m in ok]) for k in ("eval_precision", "eval_recall", "eval_f1", "eval_accuracy")]
        wall = f"{min(walls)}–{max(walls)} s" if walls else "–"
        print(f"| {r} | " + " | ".join(cols) + f" | {wall} |")
    keys = ("eval_precision", "eval_recall", "eval_f1", "eval_accuracy")
    comparisons = [("augmented", "baseline")] + [(x, y) for x, y in (("duplicated", "baseline"), ("augmented", "duplicated"))
                                                if "duplicated" in RUNS]
    lines = []
    for x, y in comparisons:
        paired = [s for s in seeds if data[(x, s)] and data[(y, s)]]
        deltas = {k: [data[(x, s)]["m"][k] - data[(y, s)]["m"][k] for s in paired] for k in keys}
        print(f"| {x} − {y} (paired by seed, n = {len(paired)}) | " + " | ".join(mean_sd(deltas[k]) for k in keys) + " | |")
        lines.append(f"{x} − {y}: " + ", ".join(f"seed {s} {100 * d:+.2f}" for s, d in zip(paired, deltas["eval_f1"])))
    print("\nF1 differences per seed: " + "; ".join(lines) + ".")

    print("\n### Per-type dev F1 (kept model)\n")
    types = sorted({k for d in data.values() if d for k in d["m"]["eval_report"] if not k.endswith(" avg")})
    head = " | ".join(f"{r[:4]}. {s}" for s in seeds for r in RUNS)
    print(f"| type | support | {head} | mean Δ F1 |")
    print("| --- | ---: | " + " | ".join("---:" for _ in seeds for _ in RUNS) + " | ---: |")
    for ty in types:
        cells, diffs, support = [], [], ""
        for s in seeds:
            f1 = {}
            for r in RUNS:
                d = data[(r, s)]
                row = d["m"]["eval_report"].get(ty) if d else None
                f1[r] = row.get("f1-score") if row else None
                support = row["support"] if row else support
                cells.append(pct(f1[r]) if f1[r] is not None else "–")
            if None not in f1.values():
                diffs.append(f1["augmented"] - f1["baseline"])
        delta = f"{100 * statistics.mean(diffs):+.2f}" if diffs else "–"
        print(f"| {ty} | {support} | " + " | ".join(cells) + f" | {delta} |")

    print("\n### Augmentation reports (mentions replaced per type)\n")
    reports = {s: augment_report(out, s) for s in seeds}
    all_types = [row[0] for row in next((rows for _, rows in reports.values() if rows), [])]
    print("| type | mentions | " + " | ".join(f"replaced (seed {s})" for s in seeds) + " |")
    print("| --- | ---: | " + " | ".join("---:" for _ in seeds) + " |")
    for ty in all_types:
        cells, seen = [], ""
        for s in seeds:
            row = next((x for x in reports[s][1] if x[0] == ty), None)
            seen = row[1] if row else seen
            cells.append(f"{row[2]} ({row[3]})" if row else "–")
        print(f"| {ty} | {seen} | " + " | ".join(cells) + " |")
    for s in seeds:
        print(f"\nseed {s}: {reports[s][0]}", end="")
    print()

    print("\n### Dev F1 after each epoch\n")
    print("| seed | training data | " + " | ".join(f"epoch {i}" for i in range(1, 5)) + " |")
    print("| ---: | --- | " + " | ".join("---:" for _ in range(4)) + " |")
    for s in seeds:
        for r in RUNS:
            d = data[(r, s)]
            if d:
                print(f"| {s} | {r} | " + " | ".join(pct(e["eval_f1"]) for e in d["evals"]) + " |")


if __name__ == "__main__":
    main()
