using BioNer.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Checkpoints;

/// <summary>
/// Loads a HuggingFace-layout model folder (<c>config.json</c> + <c>model.safetensors</c> or <c>pytorch_model.bin</c>)
/// into a <see cref="TokenClassifier"/>. Loading is by name and strict: every missing, unexpected or mis-shaped tensor
/// is reported by name in one <see cref="BioNerException"/>, because a silently half-loaded model trains and predicts
/// garbage. The only tolerated gap is the classifier head (a base checkpoint such as <c>roberta-base</c>): a new head is
/// initialised as HF does and logged, and a CRF head (<c>crf.*</c>) when the model gets one the checkpoint lacks
/// (zeros, see <see cref="LinearChainCrf"/>). Both key styles are accepted (<c>roberta.embeddings.*</c> and bare
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
    /// decision (skipped keys, new head, label transfer). <paramref name="head"/> (<see cref="ModelConfig.Head"/>) gives
    /// the model another head than the checkpoint's: <c>crf</c> adds a fresh CRF, <c>softmax</c> drops a stored one;
    /// null keeps the checkpoint's.
    /// </summary>
    /// <exception cref="BioNerException">Missing folder/config/weights, corrupt weight file, or weights that do not
    /// match the config (all offending tensor names listed).</exception>
    public static TokenClassifier Load(string dir, IReadOnlyList<string>? labels = null, Action<string>? log = null,
        long seed = 42, string? head = null)
    {
        log ??= _ => { };
        if (!Directory.Exists(dir)) throw new BioNerException("checkpoint folder not found", dir);
        var config = ModelConfig.Load(Path.Combine(dir, "config.json"));
        string weightsPath = FindWeights(dir);
        var target = labels is null || labels.SequenceEqual(config.Labels) ? config : config.WithLabels(labels);
        if (head is not null && head != target.Head)
        {
            target = target with { Head = head, CrfScores = null };
            target.Validate("head");
        }
        var model = ModelFactory.Build(target); // outside the scope below: its parameters must outlive it
        try
        {
            using var scope = NewDisposeScope();
            var stored = Normalize(WeightFile.Read(weightsPath), config.BaseModelPrefix, target.HasCrf, weightsPath, log);
            var parameters = model.state_dict();
            CheckNames(stored, parameters, config, weightsPath);
            using (no_grad())
            {
                foreach (var (name, parameter) in parameters)
                    if (!IsHead(name)) parameter.copy_(stored[name].to(ScalarType.Float32));
            }
            LoadHead(model, config, stored, seed, log);
            LoadCrf(model, config, stored, log);
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

    /// <summary>The weight file of a model folder (<see cref="WeightFileNames"/>, in order); a clear error when there is none.</summary>
    internal static string FindWeights(string dir)
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

    private static bool IsHead(string name) => name is "classifier.weight" or "classifier.bias" || IsCrf(name);

    private static bool IsCrf(string name) => name.StartsWith("crf.", StringComparison.Ordinal);

    /// <summary>
    /// Maps stored names onto the model's: old LayerNorm gamma/beta → weight/bias, bare encoder keys get the family
    /// prefix, and heads/buffers the token classifier does not have are dropped (logged once per kind).
    /// </summary>
    private static Dictionary<string, Tensor> Normalize(Dictionary<string, Tensor> raw, string prefix, bool keepCrf, string path,
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
            if (IsIgnored(name, prefix) || (!keepCrf && IsCrf(name)))
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
        // A head is missing whole or not at all: the classifier's two tensors, the CRF's three.
        int missingClassifier = missing.Count(n => IsHead(n) && !IsCrf(n)), missingCrf = missing.Count(IsCrf);
        bool headOnly = missing.All(IsHead) && missingClassifier is 0 or 2 && missingCrf is 0 or 3;
        var unexpected = stored.Keys.Where(k => !parameters.ContainsKey(k)).ToList();
        if (headOnly && unexpected.Count == 0 && misShaped.Count == 0) return;
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing {missing.Count}: {Abbreviate(missing)}");
        if (unexpected.Count > 0) parts.Add($"unexpected {unexpected.Count}: {Abbreviate(unexpected)}");
        if (misShaped.Count > 0) parts.Add($"wrong shape {misShaped.Count}: {Abbreviate(misShaped)}");
        throw new BioNerException(
            $"weights do not match config.json ({checkpointConfig.Architecture}): {string.Join("; ", parts)}", path);
    }

    private static long[] HeadShape(string name, ModelConfig c) => name switch
    {
        "classifier.weight" => [c.NumLabels, c.HiddenSize],
        "crf.transitions" => [c.NumLabels, c.NumLabels],
        _ => [c.NumLabels],
    };

    /// <summary>
    /// Copies the stored CRF scores into the model's CRF, by label name when the labels changed (moves between labels
    /// the checkpoint knows keep their score, new ones start at zero); a CRF the checkpoint lacks stays at zero.
    /// </summary>
    private static void LoadCrf(TokenClassifier model, ModelConfig checkpoint, Dictionary<string, Tensor> stored, Action<string> log)
    {
        if (model.Crf is not { } crf) return;
        if (!stored.TryGetValue("crf.transitions", out var moves))
        {
            log($"no CRF in the checkpoint: new CRF head for {crf.Labels.Count} labels, transition scores zero, IOB2's forbidden moves masked");
            return;
        }
        var known = checkpoint.Label2Id;
        int[] source = crf.Labels.Select(l => known.TryGetValue(l, out int i) ? i : -1).ToArray();
        using var noGrad = no_grad();
        using var start = stored["crf.start_transitions"].to(ScalarType.Float32);
        using var end = stored["crf.end_transitions"].to(ScalarType.Float32);
        using var m = moves.to(ScalarType.Float32);
        for (int i = 0; i < source.Length; i++)
        {
            if (source[i] < 0) continue;
            using (var s = crf.StartTransitions[i]) s.copy_(start[source[i]]);
            using (var e = crf.EndTransitions[i]) e.copy_(end[source[i]]);
            for (int j = 0; j < source.Length; j++)
            {
                if (source[j] < 0) continue;
                using var cell = crf.Transitions[i, j];
                cell.copy_(m[source[i], source[j]]);
            }
        }
    }

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
