#!/usr/bin/env python3
"""Draws a multi-stage run (two-step transfer, issue 16): micro F1 per epoch on every evaluated set, the stages one after
the other on the x axis, from each stage's trainer_state.json (dev rows `eval_f1`, `--eval-also` rows `eval_NAME_f1`),
plus rows scored afterwards with `bioner evaluate --json` for sets a stage did not score itself, and reference lines.

    /usr/bin/python3 benchmarks/experiments/plot-two-step.py \\
        "stage 1=runs/two-step/stage1:en-dev" "stage 2=runs/two-step/stage2:es-dev" \\
        --extra "stage 1:1:es-dev=epochs/stage1-epoch1.es-dev.json" \\
        --line "English only, dev=0.7960" --out docs/two-step-craft.png

A stage is LABEL=DIR[:DEVNAME] (DEVNAME: what to call its --dev set, default "dev"); DIR is a training output folder or
a checkpoint folder (both hold trainer_state.json). Needs matplotlib (Debian: python3-matplotlib)."""
import argparse
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import figures  # noqa: E402  (this folder's shared helpers)


def stage_rows(folder: pathlib.Path, dev_name: str):
    """{set: {epoch: f1}} of one stage's trainer_state.json."""
    state = json.loads((folder / "trainer_state.json").read_text())
    rows = {}
    for entry in state["log_history"]:
        for key, value in entry.items():
            if key == "eval_f1":
                rows.setdefault(dev_name, {})[entry["epoch"]] = value
            elif key.startswith("eval_") and key.endswith("_f1"):
                rows.setdefault(key[5:-3], {})[entry["epoch"]] = value
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stages", nargs="+", help="LABEL=DIR[:DEVNAME], in training order")
    ap.add_argument("--extra", action="append", default=[], help="STAGE:EPOCH:SET=FILE (bioner evaluate --json output)")
    ap.add_argument("--line", action="append", default=[], help="LABEL=F1: a horizontal reference line")
    ap.add_argument("--out", required=True, help="PNG to write")
    args = ap.parse_args()

    stages = []
    for spec in args.stages:
        label, sep, rest = spec.partition("=")
        folder, _, dev_name = rest.partition(":")
        path = pathlib.Path(folder)
        if not sep or not (path / "trainer_state.json").is_file():
            print(f"plot-two-step: {spec!r} is not LABEL=DIR with DIR/trainer_state.json", file=sys.stderr)
            return 2
        stages.append((label, stage_rows(path, dev_name or "dev")))
    for spec in args.extra:
        where, sep, file = spec.partition("=")
        parts = where.split(":")
        match = [rows for label, rows in stages if label == parts[0]]
        if not sep or len(parts) != 3 or not match or not pathlib.Path(file).is_file():
            print(f"plot-two-step: {spec!r} is not STAGE:EPOCH:SET=FILE with a known stage and an existing file", file=sys.stderr)
            return 2
        report = json.loads(pathlib.Path(file).read_text())["report"]["micro avg"]
        match[0].setdefault(parts[2], {})[float(parts[1])] = report["f1-score"]

    fig, ax = plt.subplots(figsize=(10, 5))
    names = sorted({name for _, rows in stages for name in rows})
    colours = {name: f"C{i}" for i, name in enumerate(names)}
    offset, ticks = 0.0, []
    for i, (label, rows) in enumerate(stages):
        span = max((e for r in rows.values() for e in r), default=1.0)
        for name, points in rows.items():
            xs = sorted(points)
            ax.plot([offset + x for x in xs], [points[x] for x in xs], marker="o", color=colours[name],
                    label=name if i == 0 or all(name not in r for _, r in stages[:i]) else None)
        ticks.append((offset + span / 2, label))
        if i + 1 < len(stages):
            ax.axvline(offset + span + 0.5, color="grey", linewidth=0.8)
        offset += span + 1.0
    for spec in args.line:
        label, _, value = spec.rpartition("=")
        ax.axhline(float(value), linestyle="--", color="black", linewidth=0.8)
        ax.text(0.01, float(value), f" {label} {float(value):.4f}", transform=ax.get_yaxis_transform(), va="bottom", fontsize=8)
    ax.set_xlabel("epoch within each stage  (" + " | ".join(label for _, label in ticks) + ")")
    ax.set_ylabel("micro F1 (seqeval)")
    ax.set_title("Two-step transfer: F1 per epoch on each set")
    ax.legend(loc="lower right")
    ax.grid(alpha=0.3)
    figures.save(fig, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
