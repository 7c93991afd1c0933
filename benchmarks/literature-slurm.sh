#!/usr/bin/env bash
# PubMed annotation through Slurm on this machine: 1 task with 2 threads against 2 tasks with 1 thread each, same
# corpus and model, interleaved and repeated; wall time from submission to the last output (sbatch --wait).
#   benchmarks/literature-slurm.sh [FILES=4] [DOCS=120] [RUNS=2] [RUNTIME=onnx-int8]
# Needs root, slurm-wlm and munge (scripts/setup-debian.sh) and the Release builds of the CLI and the benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."
files=${1:-4} docs=${2:-120} runs=${3:-2} runtime=${4:-onnx-int8}
work=$(mktemp -d /tmp/bioner-slurm-bench-XXXX)
chmod 755 "$work"    # the cluster's munged runs as user munge and must reach its socket below
trap 'bash deploy/slurm/local-cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
dotnet build src/BioNer.Cli -c Release -v q >/dev/null
dotnet build benchmarks/BioNer.Benchmarks -c Release -v q >/dev/null
cli=$PWD/src/BioNer.Cli/bin/Release/net10.0/linux-x64/BioNer.Cli
dotnet run -c Release --no-build --project benchmarks/BioNer.Benchmarks -- literature --write-corpus "$work/in" --files "$files" --docs "$docs" | tail -1
# A MiniLM token classifier with the CRAFT labels, exported to ONNX (fp32 + int8).
"$cli" train --model minilm --max-steps 1 --out "$work/model" --threads 2 >/dev/null
"$cli" export onnx --model "$work/model" --out "$work/model-onnx" --quantize int8 >/dev/null
model=$work/model; [ "$runtime" = torch ] || model=$work/model-onnx
env=$(bash deploy/slurm/local-cluster.sh start "$work/cluster") || exit 1
eval "$env"
echo "corpus: $files files × $docs citations; runtime $runtime; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '| layout | run | wall s | docs/s |\n| --- | ---: | ---: | ---: |\n'
for r in $(seq "$runs"); do
  for layout in "1x2" "2x1"; do
    tasks=${layout%x*} cpus=${layout#*x}
    out=$work/out-$layout-$r
    start=$(date +%s.%N)
    SHARDS=$tasks BIONER=$cli sbatch --quiet --wait --array=0-$((tasks - 1)) --cpus-per-task="$cpus" --mem-per-cpu=2G \
      --output="$work/log-$layout-$r-%a.log" deploy/slurm/annotate.sbatch "$model" "$work/in" "$out" --format pubtator --runtime "$runtime"
    end=$(date +%s.%N)
    n=$(cat "$out"/*.pubtator | grep -c '|t|')
    printf '| %s tasks × %s threads | %d | %.1f | %.1f |\n' "$tasks" "$cpus" "$r" "$(echo "$end - $start" | bc)" "$(echo "$n / ($end - $start)" | bc -l)"
  done
done
