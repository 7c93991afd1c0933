#!/usr/bin/env python3
"""PyTorch-eager side of the `train-vs-pytorch` benchmark (benchmarks/BioNer.Benchmarks/TrainVsPyTorchBenchmark.cs).

The .NET verb writes, per model, a HuggingFace folder (config.json + model.safetensors, BioNer's own weights) and a
workload JSON (the exact padded batches BioNer trains on, and BioNer's eval-mode logits for the first batch). This script
builds the same architecture in plain PyTorch with HuggingFace's module names and op order (BertForTokenClassification /
RobertaForTokenClassification, eager attention), loads those weights, checks its logits against BioNer's, then times the
same training steps: forward, cross-entropy (-100 ignored), backward, clip_grad_norm_(1.0), AdamW (lr 3e-5, betas 0.9/0.999,
eps 1e-8, weight decay 0; HF's two parameter groups), linear schedule, zero_grad. It prints one JSON object.

Only `torch` is needed (Debian 12: `apt-get install python3-torch libopenblas0-openmp`; run with /usr/bin/python3).
The safetensors file is read with the standard library: an 8-byte header length, a JSON header, raw little-endian data.
Usage: train_bench.py --model-dir DIR --workload FILE --threads N --steps N
"""
import argparse
import json
import math
import os
import resource
import struct
import time

import torch
from torch import nn

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "I64": torch.int64}


def load_safetensors(path):
    """name -> tensor, from the file's header offsets (no safetensors package needed)."""
    with open(path, "rb") as f:
        (header_len,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_len))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        buf = bytearray(data[start:end])
        t = torch.frombuffer(buf, dtype=DTYPES[info["dtype"]]) if end > start else torch.empty(0, dtype=DTYPES[info["dtype"]])
        tensors[name] = t.reshape(info["shape"]).to(torch.float32) if info["dtype"] != "I64" else t.reshape(info["shape"])
    return tensors


class Embeddings(nn.Module):
    """word + position + token type embeddings, LayerNorm, dropout: ids (B, T) -> (B, T, H)."""

    def __init__(self, c, roberta):
        super().__init__()
        self.roberta = roberta
        self.pad = c["pad_token_id"]
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"], padding_idx=self.pad)
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"],
                                                padding_idx=self.pad if roberta else None)
        self.token_type_embeddings = nn.Embedding(c["type_vocab_size"], c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, ids, mask, types):
        if self.roberta:  # HF create_position_ids_from_input_ids: padding_idx + running count of real tokens
            keep = ids.ne(self.pad).int()
            positions = (torch.cumsum(keep, dim=1) * keep).long() + self.pad
        else:
            positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(positions) + self.token_type_embeddings(types)
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    """HF eager attention: softmax(QK^T / sqrt(d) + additive mask) V, (B, T, H) -> (B, T, H)."""

    def __init__(self, c):
        super().__init__()
        self.heads = c["num_attention_heads"]
        h = c["hidden_size"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.dropout = nn.Dropout(c["attention_probs_dropout_prob"])

    def forward(self, x, additive_mask):
        b, t, h = x.shape
        d = h // self.heads

        def split(y):
            return y.view(b, t, self.heads, d).transpose(1, 2)  # (B, nh, T, d)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d) + additive_mask  # (B, nh, T, T)
        probs = self.dropout(torch.softmax(scores, dim=-1))
        return torch.matmul(probs, v).transpose(1, 2).reshape(b, t, h)


class DenseNorm(nn.Module):
    """dense, dropout, residual add, LayerNorm (HF's SelfOutput / Output)."""

    def __init__(self, c, inp):
        super().__init__()
        self.dense = nn.Linear(inp, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c["layer_norm_eps"])
        self.dropout = nn.Dropout(c["hidden_dropout_prob"])

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.self = SelfAttention(c)
        self.output = DenseNorm(c, c["hidden_size"])

    def forward(self, x, m):
        return self.output(self.self(x, m), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])
        self.act = nn.GELU(approximate="tanh" if c.get("hidden_act") in ("gelu_new", "gelu_pytorch_tanh") else "none")

    def forward(self, x):
        return self.act(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = DenseNorm(c, c["intermediate_size"])

    def forward(self, x, m):
        a = self.attention(x, m)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, m):
        for layer in self.layer:
            x = layer(x, m)
        return x


class Backbone(nn.Module):
    def __init__(self, c, roberta):
        super().__init__()
        self.embeddings = Embeddings(c, roberta)
        self.encoder = Encoder(c)

    def forward(self, ids, mask, types):
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min  # (B, 1, 1, T)
        return self.encoder(self.embeddings(ids, mask, types), additive)


class TokenClassifier(nn.Module):
    """`bert.*` / `roberta.*` + dropout + `classifier`: logits (B, T, L)."""

    def __init__(self, c):
        super().__init__()
        self.prefix = "roberta" if c["model_type"] in ("roberta", "xlm-roberta") else "bert"
        setattr(self, self.prefix, Backbone(c, self.prefix == "roberta"))
        self.dropout = nn.Dropout(c.get("classifier_dropout") or c["hidden_dropout_prob"])
        self.classifier = nn.Linear(c["hidden_size"], len(c["id2label"]))

    def forward(self, ids, mask, types):
        return self.classifier(self.dropout(getattr(self, self.prefix)(ids, mask, types)))


def batch_tensors(b):
    ids = torch.tensor(b["input_ids"], dtype=torch.long)
    mask = torch.tensor(b["attention_mask"], dtype=torch.long)
    return ids, mask, torch.zeros_like(ids), torch.tensor(b["labels"], dtype=torch.long)


def matmul_peak(n=2048, iters=3):
    """Median fp32 GFLOP/s of an n x n matmul: this torch build's own ceiling (its BLAS, its threads)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.matmul(a, b)
    times = []
    for _ in range(iters):
        start = time.perf_counter()
        torch.matmul(a, b)
        times.append(time.perf_counter() - start)
    return 2 * n ** 3 / sorted(times)[iters // 2] / 1e9


def blas_library():
    """The BLAS this torch build really calls: Debian's torch says BLAS_INFO=generic and links libblas.so.3, which the
    alternatives system points at OpenBLAS (libopenblas0-*) or the slow reference BLAS; /proc/self/maps tells which."""
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
        return ", ".join(sorted(os.path.realpath(p) for p in paths)) or "?"
    except OSError:
        return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model-dir", required=True)
    p.add_argument("--workload", required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--bf16", action="store_true", help="forward and loss under torch.autocast('cpu', dtype=torch.bfloat16)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(42)

    with open(os.path.join(a.model_dir, "config.json")) as f:
        config = json.load(f)
    with open(a.workload) as f:
        workload = json.load(f)
    model = TokenClassifier(config)
    state = load_safetensors(os.path.join(a.model_dir, "model.safetensors"))
    own = model.state_dict()
    missing = [k for k in own if k not in state]
    if missing:
        raise SystemExit(f"weights missing from model.safetensors: {missing[:5]}")
    model.load_state_dict({k: state[k] for k in own})

    # Same architecture, same weights: eval-mode logits must equal BioNer's.
    model.eval()
    ids, mask, types, _ = batch_tensors(workload["batches"][0])
    with torch.no_grad():
        logits = model(ids, mask, types)
    expected = torch.tensor(workload["reference_logits"]).view_as(logits)
    max_diff = (logits - expected).abs().max().item()

    model.train()
    named = list(model.named_parameters())
    no_decay = [p for n, p in named if n.endswith(".bias") or "LayerNorm" in n]
    decay = [p for n, p in named if not (n.endswith(".bias") or "LayerNorm" in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.0}, {"params": no_decay, "weight_decay": 0.0}],
                                  lr=3e-5, betas=(0.9, 0.999), eps=1e-8)
    total = a.steps + 1
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: max(0.0, (total - s) / total))
    loss_fn = nn.CrossEntropyLoss(ignore_index=-100)
    batches = [batch_tensors(b) for b in workload["batches"]]

    def step(i):
        ids, mask, types, labels = batches[i % len(batches)]
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=a.bf16):
            logits = model(ids, mask, types)
            loss = loss_fn(logits.view(-1, logits.shape[-1]), labels.view(-1))
        loss.backward()
        mid = time.perf_counter()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        return mid - start, time.perf_counter() - mid, int(mask.sum()), ids.numel(), list(ids.shape)

    step(len(batches) - 1)  # warm-up: allocator, AdamW state (not timed, as on the .NET side)
    cpu_start = time.process_time()
    rows = [step(i) for i in range(a.steps)]
    cpu = time.process_time() - cpu_start
    print(json.dumps({
        "torch": torch.__version__,
        "blas": blas_library(),
        "threads": torch.get_num_threads(),
        "bf16_autocast": a.bf16,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "(default)"),
        "parameters": sum(p.numel() for p in model.parameters()),
        "logits_max_abs_diff": max_diff,
        "steps": a.steps,
        "fwd_bwd_seconds": sum(r[0] for r in rows),
        "optim_seconds": sum(r[1] for r in rows),
        "cpu_seconds": cpu,
        "real_tokens": sum(r[2] for r in rows),
        "padded_tokens": sum(r[3] for r in rows),
        "shapes": [r[4] for r in rows],
        "matmul_peak_gflops": matmul_peak(),
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
