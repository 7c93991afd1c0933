using BioNer.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Checkpoints;

/// <summary>
/// Loads a HuggingFace-layout model folder (<c>config.json</c> + <c>model.safetensors</c> or <c>pytorch_model.bin</c>)
/// into a <see cref="TokenClassifier"/>. Loading is by name and strict: every missing, unexpected or mis-shaped tensor
/// is reported by name in one <see cref="BioNerException"/>, because a silently half-loaded model trains and predicts
/// garbage. The only tolerated gap is the classifier head (a base checkpoint such as <c>roberta-base</c>): a new head is
/// initialised as HF does and logged. Both key styles are accepted (<c>roberta.embeddings.*</c> and bare
/// <c>embeddings.*</c>); <c>lm_head.*</c>, <c>cls.*</c>, poolers and position-id buffers are skipped with a log line.
/// </summary>
public static class CheckpointLoader
{
    /// <summary>The weight files looked for, in order of preference.</summary>
    public static readonly IReadOnlyList<string> WeightFileNames = ["model.safetensors", "pytorch_model.bin"];

    /// <summary>
    /// Loads the model in <paramref name="dir"/>, in eval mode (like <c>from_pretrained</c>), float32 on the CPU.
    /// When <paramref name="labels"/> is given and differs from the checkpoint's <c>id2label</c>, the head is rebuilt
    /// for these labels (in this order): rows of labels the checkpoint knows are kept, new labels get fresh rows
    /// (seeded by <paramref name="seed"/>), and the change is logged. <paramref name="log"/> receives one line per
    /// decision (skipped keys, new head, label transfer).
    /// </summary>
    /// <exception cref="BioNerException">Missing folder/config/weights, corrupt weight file, or weights that do not
    /// match the config (all offending tensor names listed).</exception>
    public static TokenClassifier Load(string dir, IReadOnlyList<string>? labels = null, Action<string>? log = null,
        long seed = 42)
    {
        log ??= _ => { };
        if (!Directory.Exists(dir)) throw new BioNerException("checkpoint folder not found", dir);
        var config = ModelConfig.Load(Path.Combine(dir, "config.json"));
        string weightsPath = FindWeights(dir);
        var target = labels is null || labels.SequenceEqual(config.Labels) ? config : config.WithLabels(labels);
        var model = ModelFactory.Build(target); // outside the scope below: its parameters must outlive it
        try
        {
            using var scope = NewDisposeScope();
            var stored = Normalize(WeightFile.Read(weightsPath), config.BaseModelPrefix, weightsPath, log);
            var parameters = model.state_dict();
            CheckNames(stored, parameters, config, weightsPath);
            using (no_grad())
            {
                foreach (var (name, parameter) in parameters)
                    if (!IsHead(name)) parameter.copy_(stored[name].to(ScalarType.Float32));
            }
            LoadHead(model, config, stored, seed, log);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        log($"loaded {config.Architecture} from {weightsPath}: {model.ParameterCount:N0} parameters, {target.NumLabels} labels");
        return model;
    }

    private static string FindWeights(string dir)
    {
        foreach (var name in WeightFileNames)
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) return path;
        }
        if (Directory.EnumerateFiles(dir, "*.index.json").Any())
            throw new BioNerException("sharded checkpoints (*.index.json) are not supported; save the model unsharded", dir);
        throw new BioNerException($"no weights found: expected {string.Join(" or ", WeightFileNames)}", dir);
    }

    private static bool IsHead(string name) => name is "classifier.weight" or "classifier.bias";

    /// <summary>
    /// Maps stored names onto the model's: old LayerNorm gamma/beta → weight/bias, bare encoder keys get the family
    /// prefix, and heads/buffers the token classifier does not have are dropped (logged once per kind).
    /// </summary>
    private static Dictionary<string, Tensor> Normalize(Dictionary<string, Tensor> raw, string prefix, string path,
        Action<string> log)
    {
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var (storedName, tensor) in raw)
        {
            string name = storedName.Replace("LayerNorm.gamma", "LayerNorm.weight").Replace("LayerNorm.beta", "LayerNorm.bias");
            if (name.StartsWith("embeddings.", StringComparison.Ordinal) || name.StartsWith("encoder.", StringComparison.Ordinal)
                || name.StartsWith("pooler.", StringComparison.Ordinal))
                name = $"{prefix}.{name}";
            if (IsIgnored(name, prefix))
            {
                skipped.Add(storedName);
                continue;
            }
            if (!result.TryAdd(name, tensor))
                throw new BioNerException($"tensor '{name}' is stored twice (with and without the '{prefix}.' prefix)", path);
        }
        if (skipped.Count > 0)
            log($"ignored {skipped.Count} tensors a token classifier does not use: {Abbreviate(skipped)}");
        return result;
    }

    private static bool IsIgnored(string name, string prefix) =>
        name.StartsWith("lm_head.", StringComparison.Ordinal) || name.StartsWith("cls.", StringComparison.Ordinal)
        || name.StartsWith($"{prefix}.pooler.", StringComparison.Ordinal)
        || name.EndsWith("embeddings.position_ids", StringComparison.Ordinal)
        || name.EndsWith("embeddings.token_type_ids", StringComparison.Ordinal);

    /// <summary>Strict check of names and shapes; the head is checked against the checkpoint's own label count.</summary>
    private static void CheckNames(Dictionary<string, Tensor> stored, Dictionary<string, Tensor> parameters,
        ModelConfig checkpointConfig, string path)
    {
        var missing = new List<string>();
        var misShaped = new List<string>();
        foreach (var (name, parameter) in parameters)
        {
            long[] expected = IsHead(name) ? HeadShape(name, checkpointConfig) : parameter.shape;
            if (!stored.TryGetValue(name, out var tensor)) missing.Add(name);
            else if (!tensor.shape.SequenceEqual(expected))
                misShaped.Add($"{name} {Dims(tensor.shape)} (model expects {Dims(expected)})");
        }
        bool headOnly = missing.All(IsHead) && missing.Count != 1; // a head is missing whole or not at all
        var unexpected = stored.Keys.Where(k => !parameters.ContainsKey(k)).ToList();
        if (headOnly && unexpected.Count == 0 && misShaped.Count == 0) return;
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {Abbreviate(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {Abbreviate(unexpected)}");
        if (misShaped.Count > 0) parts.Add($"wrong shape {misShaped.Count}: {Abbreviate(misShaped)}");
        throw new BioNerException(
            $"weights do not match config.json ({checkpointConfig.Architecture}): {string.Join("; ", parts)}", path);
    }

    private static long[] HeadShape(string name, ModelConfig c) =>
        name == "classifier.weight" ? [c.NumLabels, c.HiddenSize] : [c.NumLabels];

    /// <summary>Copies, transfers or freshly initialises the classifier head (see <see cref="Load"/>).</summary>
    private static void LoadHead(TokenClassifier model, ModelConfig checkpoint, Dictionary<string, Tensor> stored,
        long seed, Action<string> log)
    {
        var head = model.Classifier;
        var labels = model.Config.Labels;
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        using var noGrad = no_grad();
        ModelFactory.InitializeLinear(head, model.Config.InitializerRange, generator);
        if (!stored.TryGetValue("classifier.weight", out var weight))
        {
            log($"no classifier head in the checkpoint: new head for {labels.Count} labels ({Abbreviate(labels)}), " +
                $"initialised N(0, {model.Config.InitializerRange})");
            return;
        }
        var bias = stored["classifier.bias"];
        var known = checkpoint.Label2Id;
        var kept = new List<string>();
        for (int row = 0; row < labels.Count; row++)
        {
            if (!known.TryGetValue(labels[row], out int source)) continue;
            using var w = weight[source].to(ScalarType.Float32);
            using var b = bias[source].to(ScalarType.Float32);
            using var wRow = head.weight![row];
            using var bRow = head.bias![row];
            wRow.copy_(w);
            bRow.copy_(b);
            kept.Add(labels[row]);
        }
        if (kept.Count == labels.Count && labels.SequenceEqual(checkpoint.Labels)) return;
        var added = labels.Except(kept).ToList();
        var dropped = checkpoint.Labels.Except(labels).ToList();
        log($"labels differ from the checkpoint's id2label: kept {kept.Count} head rows, " +
            $"{added.Count} new ({Abbreviate(added)}), {dropped.Count} dropped ({Abbreviate(dropped)})");
    }

    private static string Dims(long[] shape) => "[" + string.Join(", ", shape) + "]";

    private static string Abbreviate(IReadOnlyCollection<string> names, int max = 20) =>
        names.Count == 0 ? "none"
        : names.Count <= max ? string.Join(", ", names)
        : string.Join(", ", names.Take(max)) + $", ... ({names.Count - max} more)";
}
