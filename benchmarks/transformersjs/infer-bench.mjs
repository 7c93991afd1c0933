// transformers.js side of the `infer` benchmark (benchmarks/BioNer.Benchmarks/InferenceBenchmark.cs starts it): loads
// the same `bioner export onnx` folder offline with AutoModelForTokenClassification (onnxruntime-node), fp32 and q8,
// runs the same batches and prints one JSON line per case: {"dtype","workload","batch","seconds"} (median pass).
// Usage: node infer-bench.mjs <export dir> <workload.json> <threads> <runs>
import { AutoModelForTokenClassification, Tensor, env } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [exportDir, workloadPath, threadsArg, runsArg] = process.argv.slice(2);
if (!exportDir || !workloadPath) {
  console.error('usage: node infer-bench.mjs <export dir> <workload.json> [threads] [runs]');
  process.exit(2);
}
const threads = Number(threadsArg ?? 2);
const runs = Number(runsArg ?? 3);
const workload = JSON.parse(readFileSync(workloadPath, 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.resolve(path.dirname(exportDir)) + path.sep;
const modelId = path.basename(path.resolve(exportDir));

// (B, T) int64 tensors, padded on the right with the pad id exactly as the .NET side pads them.
function toInputs(seqs) {
  const b = seqs.length, t = Math.max(...seqs.map(s => s.length));
  const ids = new BigInt64Array(b * t).fill(BigInt(workload.pad_id));
  const mask = new BigInt64Array(b * t);
  seqs.forEach((s, i) => s.forEach((id, j) => { ids[i * t + j] = BigInt(id); mask[i * t + j] = 1n; }));
  const inputs = { input_ids: new Tensor('int64', ids, [b, t]), attention_mask: new Tensor('int64', mask, [b, t]) };
  if (workload.token_type_ids) inputs.token_type_ids = new Tensor('int64', new BigInt64Array(b * t), [b, t]);
  return inputs;
}

for (const dtype of ['fp32', 'q8']) {
  const model = await AutoModelForTokenClassification.from_pretrained(modelId, {
    dtype, session_options: { intraOpNumThreads: threads, interOpNumThreads: 1, executionMode: 'sequential' },
  });
  for (const c of workload.cases) {
    const batches = c.batches.map(toInputs);
    const pass = async () => { for (const inputs of batches) (await model(inputs)).logits.data; };
    await pass(); // warm-up
    const times = [];
    for (let r = 0; r < runs; r++) {
      const start = process.hrtime.bigint();
      await pass();
      times.push(Number(process.hrtime.bigint() - start) / 1e9);
    }
    times.sort((a, b) => a - b);
    console.log(JSON.stringify({ dtype, workload: c.workload, batch: c.batch, seconds: times[Math.floor(runs / 2)] }));
  }
  await model.dispose();
}
