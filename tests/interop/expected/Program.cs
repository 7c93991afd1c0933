// Usage: dotnet run --project tests/interop/expected -- <checkpoint dir> <export dir> <out.json>
//        dotnet run --project tests/interop/expected -- f1 <checkpoint dir> <export dir> <dev.conll> [label map, e.g. craft-iob]
// For each text: the token ids BioNer's tokenizer produces and, per token, the argmax label and its softmax score from
// TorchSharp, from the exported fp32 graph and (when present) from the int8 graph, both run by OnnxTokenClassifier.
using System.Text.Json;
using BioNer.Checkpoints;
using BioNer.Inference;
using BioNer.Onnx.Export;
using BioNer.Onnx.Runtime;
using BioNer.Tokenization;

if (args.Length > 0 && args[0] == "f1")
{
    DevF1.Run(args[1], args[2], args[3], args.Length > 4 ? args[4] : null);
    return;
}

string[] texts =
[
    "Aspirin inhibits cyclooxygenase in human platelets.",
    "The BRCA1 protein is expressed in mouse mammary epithelial cells.",
    "Glucose and fructose were measured in the serum of Drosophila larvae.",
    "Mutations in the Pax6 gene cause aniridia in humans and small eye in mice.",
    "T cells secrete interleukin-2 after stimulation with ionomycin.",
];
string checkpoint = args[0], export = args[1], outPath = args[2];
var tokenizer = HfTokenizer.Load(export);
var seqs = texts.Select(t => tokenizer.Encode(t)).ToList();
var batch = Collator.PadIds(seqs, tokenizer.PadId);
// Every runtime through the one seam (IBatchScorer): the same padded batch in, logits out.
float[] Logits(IBatchScorer runtime) { using (runtime) return runtime.Forward(batch, withLoss: false).Logits; }
var model = CheckpointLoader.Load(checkpoint);
var labels = model.Config.Labels;
float[] torchLogits = Logits(new TorchBatchScorer(model));
float[] onnxLogits = Logits(OnnxTokenClassifier.Load(export));
float[]? int8Logits = File.Exists(Path.Combine(export, OnnxExporter.QuantizedModelFile))
    ? Logits(OnnxTokenClassifier.Load(export, new OnnxRuntimeOptions { Quantized = true }))
    : null;
int l = labels.Count;
object Best(float[] logits, int position)
{
    var row = logits.AsSpan(position * l, l).ToArray();
    float max = row.Max();
    double sum = row.Sum(x => Math.Exp(x - max));
    int arg = Array.IndexOf(row, max);
    return new { label = labels[arg], score = 1 / sum };
}
var result = texts.Select((text, b) => new
{
    text,
    input_ids = seqs[b],
    tokens = Enumerable.Range(1, seqs[b].Length - 2).Select(t => new
    {
        index = t,
        token = tokenizer.IdToToken(seqs[b][t]),
        torch = Best(torchLogits, b * batch.SeqLen + t),
        onnx = Best(onnxLogits, b * batch.SeqLen + t),
        onnx_int8 = int8Logits is null ? null : Best(int8Logits, b * batch.SeqLen + t),
    }).ToList(),
}).ToList();
File.WriteAllText(outPath, JsonSerializer.Serialize(new { model = checkpoint, labels, texts = result }, new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"wrote {outPath}: {texts.Length} texts, {result.Sum(r => r.tokens.Count)} tokens");
