using System.Diagnostics;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Modeling;
using BioNer.Onnx;
using BioNer.Tokenization;
using static TorchSharp.torch;

/// <summary>
/// Entity F1 (seqeval default mode) of one model on a gold CoNLL file, run three ways on identical batches: TorchSharp,
/// ONNX fp32, ONNX int8 (first sub-token of each word, windows of 128). Prints a Markdown table with forward time.
/// </summary>
internal static class DevF1
{
    public static void Run(string checkpoint, string export, string devPath)
    {
        var corpus = CorpusIO.Read(devPath);
        var tokenizer = HfTokenizer.Load(export);
        using var model = CheckpointLoader.Load(checkpoint);
        var labels = model.Config.Labels;
        var seqs = corpus.Sentences.SelectMany((s, i) => WordEncoder.Encode(tokenizer, s.Words, null, i, 128)).ToList();
        var batches = seqs.Chunk(16).Select(c => (Seqs: c, Batch: Collator.Pad(c, tokenizer.PadId))).ToList();
        using var fp32 = OnnxTokenClassifier.Load(export, new OnnxRuntimeOptions { IntraOpThreads = 2 });
        using var int8 = OnnxTokenClassifier.Load(export, new OnnxRuntimeOptions { IntraOpThreads = 2, Quantized = true });
        var runs = new (string Name, Func<EncodedBatch, float[]> Logits)[]
        {
            ("TorchSharp fp32", b => Torch(model, b)), ("ONNX Runtime fp32", fp32.Logits), ("ONNX Runtime int8", int8.Logits),
        };
        var gold = corpus.Sentences.Select(s => (IReadOnlyList<string>)s.Labels).ToList();
        string[][]? reference = null;
        Console.WriteLine($"{corpus.Sentences.Count} sentences, {seqs.Sum(s => s.Length)} sub-tokens, {batches.Count} batches of 16");
        Console.WriteLine("| runtime | precision | recall | F1 | word labels = TorchSharp | forward time |");
        Console.WriteLine("| ------- | --------: | -----: | -: | -----------------------: | -----------: |");
        foreach (var (name, logits) in runs)
        {
            var pred = corpus.Sentences.Select(s => Enumerable.Repeat("O", s.Count).ToArray()).ToArray();
            logits(batches[0].Batch); // warm-up
            var watch = Stopwatch.StartNew();
            foreach (var (chunk, batch) in batches)
            {
                float[] l = logits(batch);
                for (int row = 0; row < chunk.Length; row++)
                    for (int t = 0; t < chunk[row].Length; t++)
                    {
                        if (chunk[row].WordIds[t] < 0 || (t > 0 && chunk[row].WordIds[t - 1] == chunk[row].WordIds[t])) continue;
                        var span = l.AsSpan((row * batch.SeqLen + t) * labels.Count, labels.Count);
                        int best = 0;
                        for (int k = 1; k < span.Length; k++) if (span[k] > span[best]) best = k;
                        pred[chunk[row].SentenceIndex][chunk[row].WordIds[t]] = labels[best];
                    }
            }
            watch.Stop();
            var r = SeqevalMetrics.Evaluate(gold, pred.Select(p => (IReadOnlyList<string>)p).ToList());
            reference ??= pred;
            int words = pred.Sum(p => p.Length), same = pred.Zip(reference).Sum(p => p.First.Zip(p.Second).Count(x => x.First == x.Second));
            Console.WriteLine($"| {name} | {r.Precision:0.0000} | {r.Recall:0.0000} | {r.F1:0.0000} | {same}/{words} ({100.0 * same / words:0.00}%) | {watch.Elapsed.TotalSeconds:0.00} s |");
        }
    }

    private static float[] Torch(TokenClassifier model, EncodedBatch b)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] shape = [b.BatchSize, b.SeqLen];
        var types = model.Config.IsRobertaFamily ? null : tensor(b.TokenTypeIds, shape);
        return model.call(tensor(b.InputIds, shape), tensor(b.AttentionMask, shape), types).contiguous().data<float>().ToArray();
    }
}
