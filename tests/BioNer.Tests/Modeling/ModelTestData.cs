using System.Text.Json;
using BioNer.Modeling;
using static TorchSharp.torch;

namespace BioNer.Tests.Modeling;

/// <summary>The roberta-tiny fixture (HF layout) and its golden outputs from HF RobertaForTokenClassification.</summary>
internal static class ModelTestData
{
    public static string TinyDir => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    public static readonly string[] TinyLabels =
    [
        "O", "B-Chemical", "I-Chemical", "B-Cell", "I-Cell", "B-Protein", "I-Protein", "B-Gene", "I-Gene",
        "B-Taxon", "I-Taxon", "B-Sequence", "I-Sequence",
    ];

    private static readonly Lazy<Expected> Golden = new(ReadExpected);

    public static Expected Outputs => Golden.Value;

    /// <summary>Golden batch: ids and mask (B, T), hidden (B, T, H) and logits (B, T, L), flattened row-major.</summary>
    public sealed record Expected(long[] Ids, long[] Mask, float[] Hidden, float[] Logits, int B, int T, int H, int L)
    {
        public Tensor IdsTensor() => tensor(Ids, [B, T]);
        public Tensor MaskTensor() => tensor(Mask, [B, T]);
    }

    private static Expected ReadExpected()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TinyDir, "expected_outputs.json")));
        var root = doc.RootElement;
        var ids = root.GetProperty("input_ids");
        int b = ids.GetArrayLength(), t = ids[0].GetArrayLength();
        var hidden = root.GetProperty("last_hidden_state");
        var logits = root.GetProperty("logits");
        return new Expected(
            Flatten(ids).Select(v => (long)v).ToArray(),
            Flatten(root.GetProperty("attention_mask")).Select(v => (long)v).ToArray(),
            Flatten(hidden).Select(v => (float)v).ToArray(),
            Flatten(logits).Select(v => (float)v).ToArray(),
            b, t, hidden[0][0].GetArrayLength(), logits[0][0].GetArrayLength());
    }

    private static IEnumerable<double> Flatten(JsonElement e) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flatten) : [e.GetDouble()];

    /// <summary>Largest absolute difference between two equally long arrays.</summary>
    public static double MaxAbsDiff(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        double max = 0;
        for (int i = 0; i < a.Length; i++) max = Math.Max(max, Math.Abs(a[i] - b[i]));
        return max;
    }

    /// <summary>Runs the model in eval mode under no_grad and returns the logits flattened.</summary>
    public static float[] Logits(TokenClassifier model, Tensor ids, Tensor mask, Tensor? types = null)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return model.call(ids, mask, types).data<float>().ToArray();
    }

    /// <summary>A tiny config of the given family, for random-model tests.</summary>
    public static ModelConfig TinyConfig(string modelType, int labels = 5) => ModelConfig.Parse($$"""
        {
          "model_type": "{{modelType}}", "vocab_size": 100, "hidden_size": 16, "num_hidden_layers": 2,
          "num_attention_heads": 2, "intermediate_size": 32, "max_position_embeddings": 40,
          "type_vocab_size": {{(modelType == "bert" ? 2 : 1)}}, "pad_token_id": {{(modelType == "bert" ? 0 : 1)}},
          "num_labels": {{labels}}
        }
        """, "tiny-config.json");

    /// <summary>A fresh temporary folder, deleted when the returned handle is disposed.</summary>
    public static TempDir NewTempDir() => new();
}
