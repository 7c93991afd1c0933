using System.Globalization;

namespace BioNer.Modeling;

/// <summary>
/// What <c>bioner info</c> shows about a model: architecture, size and labels, as plain data (no tensors), so callers
/// can print it or serialise it without touching TorchSharp.
/// </summary>
/// <param name="Architecture">HF class name, e.g. <c>RobertaForTokenClassification</c>.</param>
/// <param name="ModelType">config.json <c>model_type</c>.</param>
/// <param name="ParameterCount">Number of scalar parameters (encoder and head).</param>
/// <param name="Layers">Transformer layers.</param>
/// <param name="HiddenSize">Hidden width H.</param>
/// <param name="Heads">Attention heads per layer.</param>
/// <param name="MaxSequenceLength">Longest input in tokens the position table allows.</param>
/// <param name="Labels">Labels in logit-column order.</param>
public sealed record ModelSummary(
    string Architecture, string ModelType, long ParameterCount, int Layers, int HiddenSize, int Heads,
    int MaxSequenceLength, IReadOnlyList<string> Labels)
{
    /// <summary>Summarises a built model.</summary>
    public static ModelSummary Of(TokenClassifier model)
    {
        var c = model.Config;
        return new ModelSummary(c.Architecture, c.ModelType, model.ParameterCount, c.NumHiddenLayers, c.HiddenSize,
            c.NumAttentionHeads, c.MaxSequenceLength, c.Labels);
    }

    /// <summary>Human-readable lines, e.g. <c>parameters: 124,654,861</c>, one fact per line.</summary>
    public override string ToString() => string.Join(Environment.NewLine,
        $"architecture: {Architecture} ({ModelType})",
        $"parameters: {ParameterCount.ToString("N0", CultureInfo.InvariantCulture)}",
        $"layers: {Layers}, hidden: {HiddenSize}, heads: {Heads}, max tokens: {MaxSequenceLength}",
        $"labels ({Labels.Count}): {string.Join(", ", Labels)}");
}
