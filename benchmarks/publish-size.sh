#!/usr/bin/env bash
# Publish size of the full `bioner` CLI against the ONNX-only publish profile (OnnxServe.pubxml), and a smoke test that
# the ONNX-only build serves an exported model over HTTP with no libtorch mapped into the process.
# Usage: benchmarks/publish-size.sh [EXPORTED_ONNX_DIR]   (default: exports a fresh minilm model with the full build)
# Results: benchmarks/RESULTS.md, "ONNX-only server size".
set -euo pipefail
cd "$(dirname "$0")/.."
out=out/publish
rm -rf "$out/full" "$out/onnx-serve"
dotnet publish src/BioNer.Cli -c Release -r linux-x64 --self-contained false -o "$out/full" -v q -nologo
dotnet publish src/BioNer.Cli -p:PublishProfile=OnnxServe -v q -nologo
full=$(du -sm "$out/full" | cut -f1); onnx=$(du -sm "$out/onnx-serve" | cut -f1)
echo "full publish: ${full} MiB; ONNX-only publish: ${onnx} MiB"
echo "largest files of the ONNX-only publish:"; ls -S -l "$out/onnx-serve" | awk 'NR>1 && NR<7 {printf "  %6.1f MiB  %s\n", $5/1048576, $9}'

model=${1:-}
if [[ -z "$model" ]]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  "$out/full/BioNer.Cli" train --max-steps 20 --out "$tmp/model" > /dev/null
  "$out/full/BioNer.Cli" export onnx --model "$tmp/model" --out "$tmp/onnx" --quantize int8 > /dev/null
  model="$tmp/onnx"
fi
port=18765
"$out/onnx-serve/BioNer.Cli" serve --runtime onnx --model "$model" --port $port > /dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do curl -sf "localhost:$port/health" > /dev/null && break; sleep 0.2; done
curl -sf -X POST "localhost:$port/v1/ner" -H 'content-type: application/json' \
  -d '{"text":"IL-2 activates T cells in mice expressing Pax6."}' > /dev/null
echo "ONNX-only serve: POST /v1/ner ok; RSS $(( $(awk '/VmRSS/ {print $2}' /proc/$pid/status) / 1024 )) MiB;" \
     "libtorch mappings in the process: $(grep -c libtorch /proc/$pid/maps || true)"
kill $pid
