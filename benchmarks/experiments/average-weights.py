#!/usr/bin/env python3
"""Uniform weight average ("model soup") of fine-tuned BioNer/HF models of one architecture (issue 14's soup row).

usage: average-weights.py OUT_DIR MODEL_DIR MODEL_DIR [...]
Writes OUT_DIR/model.safetensors (fp32 mean of every tensor, in fp64) and copies the first model's config, tokenizer
and run.json, so `bioner evaluate --model OUT_DIR` scores it as that run did. numpy only (no safetensors package).
"""
import json
import shutil
import struct
import sys
from pathlib import Path

import numpy as np


def read(path):
    data = Path(path).read_bytes()
    n = struct.unpack("<Q", data[:8])[0]
    return data, 8 + n, json.loads(data[8:8 + n])


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    out, models = Path(sys.argv[1]), sys.argv[2:]
    files = [read(Path(m) / "model.safetensors") for m in models]
    first, base, header = files[0]
    for m, (_, _, h) in zip(models, files):
        if {k: v["shape"] for k, v in h.items() if k != "__metadata__"} != {k: v["shape"] for k, v in header.items() if k != "__metadata__"}:
            sys.exit(f"{m}: tensors or shapes differ from {models[0]}")
    result = bytearray(first)
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] != "F32":
            sys.exit(f"{models[0]}: {name} is {info['dtype']}, only F32 is averaged")
        total = np.zeros(int(np.prod(info["shape"])), dtype=np.float64)
        for data, start, h in files:
            s, e = h[name]["data_offsets"]
            total += np.frombuffer(data[start + s:start + e], dtype="<f4")
        s, e = info["data_offsets"]
        result[base + s:base + e] = (total / len(files)).astype("<f4").tobytes()
    out.mkdir(parents=True, exist_ok=True)
    keep = {"config.json", "run.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
            "vocab.json", "merges.txt"}                      # not metrics/lineage/trainer_state: they describe one run
    for f in Path(models[0]).iterdir():
        if f.name in keep:
            shutil.copy(f, out / f.name)
    tmp = out / "model.safetensors.tmp"
    tmp.write_bytes(result)
    tmp.replace(out / "model.safetensors")
    print(f"{out}: mean of {len(models)} models, {len(header) - ('__metadata__' in header)} tensors")


if __name__ == "__main__":
    main()
