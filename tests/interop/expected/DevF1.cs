using System.Diagnostics;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Inference;
using BioNer.Onnx.Runtime;

/// <summary>
/// Entity F1 (seqeval default mode) of one model on a gold CoNLL file, run three ways through the one decoder
/// (<see cref="ModelEvaluator"/> over <see cref="NerPipeline"/>): TorchSharp, ONNX fp32, ONNX int8. Prints a Markdown
/// table with the evaluation time and how many word labels equal TorchSharp's.
/// </summary>
internal static class DevF1
{
    public static void Run(string checkpoint, string export, string devPath, string? labelMap = null)
    {
        var corpus = CorpusIO.Read(devPath, options: new ReadOptions { LabelMap = labelMap is null ? null : LabelMap.FromSpec(labelMap) });
        var runs = new (string Name, Func<WindowScorer> Scorer)[]
        {
            ("TorchSharp fp32", () => TorchTokenScorer.Load(checkpoint, export)),
            ("ONNX Runtime fp32", () => OnnxTokenScorer.Load(export, new OnnxRuntimeOptions { IntraOpThreads = 2 })),
            ("ONNX Runtime int8", () => OnnxTokenScorer.Load(export, new OnnxRuntimeOptions { IntraOpThreads = 2, Quantized = true })),
        };
        IReadOnlyList<IReadOnlyList<string>>? reference = null;
        Console.WriteLine($"{corpus.Sentences.Count} sentences, {corpus.Sentences.Sum(s => s.Count)} words, batches of 16");
        Console.WriteLine("| runtime | precision | recall | F1 | word labels = TorchSharp | time |");
        Console.WriteLine("| ------- | --------: | -----: | -: | -----------------------: | ---: |");
        foreach (var (name, scorer) in runs)
        {
            using var pipeline = new NerPipeline(scorer(), new NerOptions { BatchSize = 16 });
            var watch = Stopwatch.StartNew();
            var outcome = ModelEvaluator.Evaluate(pipeline, corpus);
            watch.Stop();
            var pred = outcome.Predictions;
            reference ??= pred;
            int words = pred.Sum(p => p.Count), same = pred.Zip(reference).Sum(p => p.First.Zip(p.Second).Count(x => x.First == x.Second));
            var r = outcome.Metrics;
            Console.WriteLine($"| {name} | {r.Precision:0.0000} | {r.Recall:0.0000} | {r.F1:0.0000} | {same}/{words} ({100.0 * same / words:0.00}%) | {watch.Elapsed.TotalSeconds:0.00} s |");
        }
    }
}
