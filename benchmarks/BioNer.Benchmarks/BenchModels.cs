using BioNer.Checkpoints;
using BioNer.Modeling;

namespace BioNer.Benchmarks;

/// <summary>The two models the throughput verbs measure, and the FLOP count they are scored with.</summary>
public static class BenchModels
{
    /// <summary>The 13 labels of the CRAFT sample (O + B/I of 6 types), the reference model's head size.</summary>
    public static readonly IReadOnlyList<string> CraftLabels =
        ["O", .. new[] { "Cell", "Chemical", "Gene", "Protein", "Sequence", "Taxon" }.SelectMany(t => new[] { "B-" + t, "I-" + t })];

    /// <summary>The built-in all-MiniLM-L6-v2 (BERT, 6 layers, hidden 384), through <see cref="ModelResolver"/>, with a head for <paramref name="labels"/>.</summary>
    public static TokenClassifier MiniLm(IReadOnlyList<string> labels) => CheckpointLoader.Load(ModelResolver.Resolve("minilm"), labels);

    /// <summary>A randomly initialised model of roberta-base's shape (12 × 768, 12 heads, FFN 3072, vocab 52000, 514 positions).</summary>
    public static TokenClassifier RobertaBaseSized(IReadOnlyList<string> labels) => ModelFactory.Create(new ModelConfig
    {
        ModelType = "roberta",
        VocabSize = 52000,
        HiddenSize = 768,
        NumHiddenLayers = 12,
        NumAttentionHeads = 12,
        IntermediateSize = 3072,
        MaxPositionEmbeddings = 514,
        TypeVocabSize = 1,
        Labels = labels.ToArray(),
    }, 42);

    /// <summary>Weights that take part in matmuls: per layer Q, K, V, O (4·H²) and the FFN (2·H·I), plus the head (H·labels).</summary>
    public static long MatmulParameters(ModelConfig c) =>
        c.NumHiddenLayers * (4L * c.HiddenSize * c.HiddenSize + 2L * c.HiddenSize * c.IntermediateSize) + (long)c.HiddenSize * c.NumLabels;

    /// <summary>
    /// Forward FLOPs per token at padded length <paramref name="seqLen"/>: 2 × matmul parameters, plus attention
    /// (Q·Kᵀ and weights·V, 2·T·H each) = 4·T·H per layer. Embedding lookups, LayerNorm, softmax and GELU are not counted.
    /// </summary>
    public static double ForwardFlopsPerToken(ModelConfig c, int seqLen) =>
        2.0 * MatmulParameters(c) + 4.0 * seqLen * c.HiddenSize * c.NumHiddenLayers;
}
