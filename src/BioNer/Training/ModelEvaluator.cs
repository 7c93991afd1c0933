using BioNer.Evaluation;
using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Training;

/// <summary>The outcome of scoring a model on an encoded corpus.</summary>
/// <param name="Loss">Mean cross-entropy over labelled sub-tokens, averaged per batch as HF Trainer does.</param>
/// <param name="Predictions">Per sentence, one predicted label per word (the first sub-token's argmax).</param>
/// <param name="Metrics">seqeval scores of <paramref name="Predictions"/> against the gold labels.</param>
public sealed record EvaluationOutcome(double Loss, IReadOnlyList<IReadOnlyList<string>> Predictions, EvaluationResult Metrics);

/// <summary>
/// Runs a token classifier over an encoded corpus in inference mode and scores it at word level: the label of a word
/// is the argmax at its first sub-token (the one that carried its label in training), exactly how <c>run_ner.py</c>
/// scores, so numbers are comparable with the reference model card.
/// </summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Scores a saved model (folder, hub id or built-in name) on a labelled corpus exactly as training scores its dev
    /// set, so that a model — or an epoch checkpoint — can be compared on other sets than the one it was trained with
    /// (a two-step transfer is judged on the English and the translated dev sets). A checkpoint folder without
    /// tokenizer files takes them from <paramref name="tokenizerDir"/>.
    /// </summary>
    public static EvaluationOutcome Evaluate(string model, Data.Corpus corpus, string? tokenizerDir = null, int maxSequenceLength = 128,
        int batchSize = 32, Action<string>? log = null)
    {
        string dir = Checkpoints.ModelResolver.Resolve(model, log);
        var tokenizer = HfTokenizer.Load(tokenizerDir ?? dir);
        var labels = ModelConfig.Load(Path.Combine(dir, "config.json")).Labels;
        var unknown = corpus.EntityTypes().Where(t => !labels.Contains("B-" + t)).ToList();
        if (unknown.Count > 0)
            throw new BioNerException($"entity types the model {model} does not know: {string.Join(", ", unknown)}", corpus.Source);
        using var classifier = Checkpoints.CheckpointLoader.Load(dir, labels, log);
        return Evaluate(classifier, TrainingData.Encode(corpus, tokenizer, labels, maxSequenceLength, false), labels, tokenizer.PadId, batchSize);
    }

    /// <summary>Evaluates <paramref name="model"/>; batches of <paramref name="batchSize"/> windows, sorted by length.</summary>
    public static EvaluationOutcome Evaluate(TokenClassifier model, EncodedCorpus data, IReadOnlyList<string> labels,
        int padId, int batchSize)
    {
        var sentences = data.Corpus.Sentences;
        var predicted = sentences.Select(s => Enumerable.Repeat("O", s.Count).ToArray()).ToArray();
        double lossSum = 0;
        long lossWeight = 0;
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var _ = torch.inference_mode();
            // Sorting by length keeps padding near zero; order does not change the word-level result.
            var order = Enumerable.Range(0, data.Sequences.Count).OrderBy(i => data.Sequences[i].InputIds.Length).ToArray();
            for (int start = 0; start < order.Length; start += batchSize)
            {
                var batchSeqs = order.Skip(start).Take(batchSize).Select(i => data.Sequences[i]).ToList();
                using var scope = torch.NewDisposeScope();
                var batch = Collator.Pad(batchSeqs, padId);
                var (logits, labelsT) = Forward(model, batch);                        // (B, T, L), (B, T)
                var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), labelsT.view(-1), ignore_index: -100);
                double l = loss.item<float>();
                if (!double.IsNaN(l)) { lossSum += l * batchSeqs.Count; lossWeight += batchSeqs.Count; }
                long[] argmax = logits.argmax(-1).data<long>().ToArray();            // (B*T)
                for (int b = 0; b < batchSeqs.Count; b++)
                {
                    var seq = batchSeqs[b];
                    int prevWord = -1;
                    for (int t = 0; t < seq.InputIds.Length; t++)
                    {
                        int w = seq.WordIds[t];
                        if (w < 0 || w == prevWord) continue;          // specials and continuation sub-tokens
                        prevWord = w;
                        predicted[seq.SentenceIndex][w] = labels[(int)argmax[b * batch.SeqLen + t]];
                    }
                }
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        var gold = sentences.Select(s => s.Labels).ToList();
        var preds = predicted.Select(p => (IReadOnlyList<string>)p).ToList();
        var metrics = SeqevalMetrics.Evaluate(gold, preds);
        return new EvaluationOutcome(lossWeight == 0 ? 0 : lossSum / lossWeight, preds, metrics);
    }

    /// <summary>Runs the model on a padded batch; returns logits (B, T, L) and labels (B, T) as tensors in the caller's scope.</summary>
    internal static (Tensor Logits, Tensor Labels) Forward(TokenClassifier model, EncodedBatch batch)
    {
        long[] shape = [batch.BatchSize, batch.SeqLen];
        var ids = torch.tensor(batch.InputIds, shape, ScalarType.Int64);
        var mask = torch.tensor(batch.AttentionMask, shape, ScalarType.Int64);
        var types = torch.tensor(batch.TokenTypeIds, shape, ScalarType.Int64);
        var labels = torch.tensor(batch.Labels, shape, ScalarType.Int64);
        return (model.call(ids, mask, types), labels);
    }
}
