// Loads a `bioner export onnx` folder with transformers.js, offline, and compares its token-classification output with
// BioNer's own predictions (JSON from tests/interop/expected). Not run in CI; see README.md.
// Usage: node transformersjs.mjs <export dir> <bioner.json>
import { pipeline, AutoTokenizer, env } from '@huggingface/transformers';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [exportDir, expectedPath] = process.argv.slice(2);
if (!exportDir || !expectedPath) {
  console.error('usage: node transformersjs.mjs <export dir> <bioner.json>');
  process.exit(2);
}
const expected = JSON.parse(readFileSync(expectedPath, 'utf8'));
env.allowRemoteModels = false;
env.allowLocalModels = true;
env.localModelPath = path.resolve(path.dirname(exportDir)) + path.sep;
const modelId = path.basename(path.resolve(exportDir));

const tokenizer = await AutoTokenizer.from_pretrained(modelId);
let failures = 0;
for (const [dtype, key] of [['fp32', 'onnx'], ['q8', 'onnx_int8']]) {
  if (expected.texts[0].tokens[0][key] === null) continue;
  const ner = await pipeline('token-classification', modelId, { dtype });
  let tokens = 0, sameTorch = 0, sameOnnx = 0, maxScoreDiff = 0, idMismatch = 0;
  for (const item of expected.texts) {
    const ids = Array.from(tokenizer(item.text).input_ids.data, Number);
    if (JSON.stringify(ids) !== JSON.stringify(item.input_ids)) {
      idMismatch++;
      console.log(`token ids differ for "${item.text}":\n  js     ${ids}\n  bioner ${item.input_ids}`);
    }
    const out = await ner(item.text, { ignore_labels: [] });
    const byIndex = new Map(out.map(e => [e.index, e]));
    for (const t of item.tokens) {
      const js = byIndex.get(t.index);
      const label = js ? js.entity : 'O';
      tokens++;
      if (label === t.torch.label) sameTorch++;
      if (label === t[key].label) {
        sameOnnx++;
        if (js) maxScoreDiff = Math.max(maxScoreDiff, Math.abs(js.score - t[key].score));
      }
    }
    const entities = out.filter(e => e.entity !== 'O').map(e => `${e.word}/${e.entity}`).join(' ');
    console.log(`[${dtype}] ${item.text}\n    ${entities || '(no entities)'}`);
  }
  console.log(`[${dtype}] ${tokens} tokens: label = BioNer ${key} on ${sameOnnx}, = BioNer TorchSharp on ${sameTorch}; ` +
              `max |score diff| ${maxScoreDiff.toExponential(2)}; token-id mismatches ${idMismatch}`);
  // fp32 must agree everywhere; int8 kernels differ between ORT builds (node vs .NET), so near-ties may flip.
  const required = dtype === 'fp32' ? tokens : Math.ceil(0.9 * tokens);
  if (sameOnnx < required || idMismatch > 0) failures++;
}
process.exit(failures === 0 ? 0 : 1);
