using BioNer.Data;
using BioNer.Inference;

namespace BioNer.Evaluation;

/// <summary>How <see cref="ModelEvaluator"/> scores a model; the defaults are what training uses for its dev set.</summary>
public sealed record ModelEvaluationOptions
{
    /// <summary>Which sub-tokens decide a word's label (<c>First</c> = how <c>run_ner.py</c> trains and scores).</summary>
    public AggregationStrategy Strategy { get; init; } = AggregationStrategy.First;

    /// <summary>Count every sub-token in the loss, as training with <c>--label-all-tokens</c> does.</summary>
    public bool LabelAllTokens { get; init; }

    /// <summary>Decode word labels by IOB2-constrained Viterbi instead of argmax (<see cref="WordDecoding.Constrained"/>);
    /// null = the model's own way (Viterbi for a CRF head).</summary>
    public bool? Constrained { get; init; }

    /// <summary>seqeval mode of the metrics: default (conlleval-compatible) or strict.</summary>
    public EvaluationMode Mode { get; init; } = EvaluationMode.Default;

    /// <summary>Tagging scheme for strict mode; null = detected from the labels.</summary>
    public TaggingScheme? Scheme { get; init; }
}

/// <summary>Which gold and model entity types did not meet, and how they were counted.</summary>
/// <param name="GoldTypesUnknownToModel">Gold entity types the model has no label for, with their gold mention counts:
/// the model can never predict them, so they count as missed (recall) and their words are left out of the loss.</param>
/// <param name="ModelTypesAbsentFromGold">Types the model can predict that the gold file never uses: any prediction of
/// them counts as spurious (precision).</param>
public sealed record LabelCoverage(IReadOnlyDictionary<string, int> GoldTypesUnknownToModel, IReadOnlyList<string> ModelTypesAbsentFromGold)
{
    /// <summary>True when every gold type is a model type and the other way round.</summary>
    public bool Complete => GoldTypesUnknownToModel.Count == 0 && ModelTypesAbsentFromGold.Count == 0;

    /// <summary>One line per mismatch, for logs and reports (empty when complete).</summary>
    public IEnumerable<string> Describe()
    {
        if (GoldTypesUnknownToModel.Count > 0)
            yield return "gold types the model does not know (counted as missed; left out of the loss): " +
                         string.Join(", ", GoldTypesUnknownToModel.Select(kv => $"{kv.Key} ({kv.Value} mentions)"));
        if (ModelTypesAbsentFromGold.Count > 0)
            yield return "model types the gold file never uses (their predictions count as spurious): " +
                         string.Join(", ", ModelTypesAbsentFromGold);
    }
}

/// <summary>The outcome of scoring a model on a labelled corpus.</summary>
/// <param name="Loss">Mean cross-entropy over labelled sub-tokens, averaged per batch as HF Trainer does; null when the
/// runtime computes no loss (ONNX).</param>
/// <param name="Predictions">Per sentence, one predicted label per word.</param>
/// <param name="Metrics">seqeval scores of <paramref name="Predictions"/> against the gold labels.</param>
/// <param name="Coverage">Gold/model entity types that did not meet.</param>
public sealed record EvaluationOutcome(double? Loss, IReadOnlyList<IReadOnlyList<string>> Predictions, EvaluationResult Metrics,
    LabelCoverage Coverage);

/// <summary>
/// Scores a model on a labelled corpus through the one decoder every consumer shares
/// (<see cref="NerPipeline.Decode"/> over an <see cref="IBatchScorer"/> runtime), so training's dev and test rows,
/// <c>bioner evaluate --model</c> and an ONNX run of the same model give the same numbers. From the library:
/// <code>
/// using var model = NerPipeline.Load("runs/craft/model");
/// var outcome = ModelEvaluator.Evaluate(model, CorpusIO.Read("test.conll"));
/// Console.WriteLine(outcome.Metrics.Report.ToText());
/// </code>
/// </summary>
public static class ModelEvaluator
{
    /// <summary>
    /// Labels every word of <paramref name="corpus"/> with <paramref name="model"/> and scores the labels against the
    /// corpus's (entity-level seqeval, token accuracy) plus the loss over the same forward passes. Gold labels the model
    /// lacks are reported in <see cref="EvaluationOutcome.Coverage"/>, not refused.
    /// </summary>
    public static EvaluationOutcome Evaluate(NerPipeline model, Corpus corpus, ModelEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(corpus);
        options ??= new ModelEvaluationOptions();
        var labelIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < model.Labels.Count; i++) labelIds[model.Labels[i]] = i;
        var sentences = corpus.Sentences;
        var gold = sentences.Select(s => (IReadOnlyList<int>)s.Labels.Select(l => labelIds.GetValueOrDefault(l, -1)).ToArray()).ToList();
        var decoded = model.Decode(sentences.Select(s => s.Words).ToList(),
            new WordDecoding { Strategy = options.Strategy, Gold = gold, LabelAllTokens = options.LabelAllTokens, Constrained = options.Constrained });
        var predictions = decoded.Labels.Select(p => (IReadOnlyList<string>)p).ToList();
        var metrics = SeqevalMetrics.Evaluate(sentences.Select(s => s.Labels).ToList(), predictions, options.Mode, options.Scheme);
        return new EvaluationOutcome(decoded.Loss, predictions, metrics, Coverage(corpus, model.EntityTypes));
    }

    private static LabelCoverage Coverage(Corpus corpus, IReadOnlyList<string> modelTypes)
    {
        var mentions = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in corpus.Sentences)
            foreach (var l in s.Labels)
                if (Iob2.Parse(l) is ('B', var type) && !modelTypes.Contains(type))
                    mentions[type] = mentions.GetValueOrDefault(type) + 1;
        var goldTypes = corpus.EntityTypes().ToHashSet(StringComparer.Ordinal);
        foreach (var t in goldTypes.Where(t => !modelTypes.Contains(t))) mentions.TryAdd(t, 0);
        return new LabelCoverage(mentions, modelTypes.Where(t => !goldTypes.Contains(t)).ToList());
    }
}
