using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.IO;

namespace BioNer.Modeling;

/// <summary>
/// The typed view of a HuggingFace <c>config.json</c> for the encoder families BioNer runs (RoBERTa, XLM-RoBERTa, BERT).
/// Why typed: every size in the model comes from here (never from constants), and the invariants (hidden divisible by
/// heads, consistent labels, positive sizes) are checked once, with an error naming <c>config.json</c> and the field,
/// instead of surfacing later as a shape error deep inside libtorch. Fields this type does not know (bos/eos ids,
/// transformers version, tokenizer hints...) are kept and written back, so a loaded config round-trips.
/// Immutable: derive changed copies with <c>with</c> or <see cref="WithLabels"/>.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The <c>model_type</c> values BioNer can build.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes = ["roberta", "xlm-roberta", "bert"];

    /// <summary>The activations <c>hidden_act</c> may name (<c>gelu</c> is the exact erf form, as in HF).</summary>
    public static readonly IReadOnlyList<string> SupportedActivations = ["gelu", "gelu_new", "gelu_pytorch_tanh", "relu"];

    /// <summary>The original JSON, kept so that unknown fields survive <see cref="Save(string)"/>; never mutated.</summary>
    private JsonObject Raw { get; init; } = new();

    /// <summary><c>model_type</c>: selects the family (<c>roberta</c>, <c>xlm-roberta</c>, <c>bert</c>).</summary>
    public string ModelType { get; init; } = "roberta";
    /// <summary><c>vocab_size</c>: rows of the word-embedding matrix.</summary>
    public int VocabSize { get; init; } = 50265;
    /// <summary><c>hidden_size</c>: H, the width of every token vector.</summary>
    public int HiddenSize { get; init; } = 768;
    /// <summary><c>num_hidden_layers</c>: number of transformer layers.</summary>
    public int NumHiddenLayers { get; init; } = 12;
    /// <summary><c>num_attention_heads</c>: heads per layer; H must be divisible by it.</summary>
    public int NumAttentionHeads { get; init; } = 12;
    /// <summary><c>intermediate_size</c>: width of the feed-forward block.</summary>
    public int IntermediateSize { get; init; } = 3072;
    /// <summary><c>hidden_act</c>: feed-forward activation, one of <see cref="SupportedActivations"/>.</summary>
    public string HiddenAct { get; init; } = "gelu";
    /// <summary><c>hidden_dropout_prob</c>: dropout after embeddings and every sub-layer (train mode only).</summary>
    public double HiddenDropoutProb { get; init; } = 0.1;
    /// <summary><c>attention_probs_dropout_prob</c>: dropout on attention weights (train mode only).</summary>
    public double AttentionProbsDropoutProb { get; init; } = 0.1;
    /// <summary><c>max_position_embeddings</c>: rows of the position-embedding matrix.</summary>
    public int MaxPositionEmbeddings { get; init; } = 514;
    /// <summary><c>type_vocab_size</c>: rows of the token-type (segment) embedding matrix.</summary>
    public int TypeVocabSize { get; init; } = 1;
    /// <summary><c>layer_norm_eps</c>: epsilon of every LayerNorm (1e-5 for RoBERTa, 1e-12 for BERT).</summary>
    public double LayerNormEps { get; init; } = 1e-5;
    /// <summary><c>pad_token_id</c>: padding token; its embedding row is zero and RoBERTa positions start after it.</summary>
    public int PadTokenId { get; init; } = 1;
    /// <summary><c>initializer_range</c>: standard deviation of the normal initialisation of new weights.</summary>
    public double InitializerRange { get; init; } = 0.02;
    /// <summary><c>classifier_dropout</c>: dropout before the head; null means <see cref="HiddenDropoutProb"/>.</summary>
    public double? ClassifierDropout { get; init; }
    /// <summary>The labels in id order (<c>id2label</c>); <c>Labels[i]</c> is the label of logit column i.</summary>
    public IReadOnlyList<string> Labels { get; init; } = ["LABEL_0", "LABEL_1"];
    /// <summary>
    /// The head on top of the encoder, key <c>bioner_head</c>: <see cref="SoftmaxHead"/> (HF's linear classifier, the
    /// default and what every HF checkpoint has) or <see cref="CrfHead"/> (the same classifier as emissions plus a
    /// <see cref="LinearChainCrf"/>, whose <c>crf.*</c> tensors transformers ignores).
    /// </summary>
    public string Head { get; init; } = SoftmaxHead;
    /// <summary>An exported model's CRF scores (key <see cref="CrfTransitions.ConfigKey"/>): ONNX graphs give emissions
    /// only, so the export's config carries what decoding adds. Null in a TorchSharp checkpoint (the weights hold them).</summary>
    public CrfTransitions? CrfScores { get; init; }

    /// <summary>Number of labels, i.e. the last dimension of the logits.</summary>
    public int NumLabels => Labels.Count;

    /// <summary>The <see cref="Head"/> value of HF's linear token-classification head.</summary>
    public const string SoftmaxHead = "softmax";

    /// <summary>The <see cref="Head"/> value of a linear-chain CRF over the classifier's word-level emissions.</summary>
    public const string CrfHead = "crf";

    /// <summary>The heads BioNer builds.</summary>
    public static readonly IReadOnlyList<string> SupportedHeads = [SoftmaxHead, CrfHead];

    /// <summary>Whether the model has a CRF head.</summary>
    public bool HasCrf => Head == CrfHead;

    /// <summary>True for RoBERTa and XLM-RoBERTa, which share one implementation and the <c>roberta.</c> prefix.</summary>
    public bool IsRobertaFamily => ModelType is "roberta" or "xlm-roberta";

    /// <summary>The HF state-dict prefix of the encoder (<c>roberta</c> or <c>bert</c>).</summary>
    public string BaseModelPrefix => IsRobertaFamily ? "roberta" : "bert";

    /// <summary>The HF class name written to <c>architectures</c>, e.g. <c>RobertaForTokenClassification</c>.</summary>
    public string Architecture => ModelType switch
    {
        "xlm-roberta" => "XLMRobertaForTokenClassification",
        "bert" => "BertForTokenClassification",
        _ => "RobertaForTokenClassification",
    };

    /// <summary>
    /// Longest input (tokens, specials included) the position table allows. RoBERTa positions start at
    /// <c>pad_token_id + 1</c>, so roberta-base (514 positions, pad 1) takes 512 tokens; BERT takes all positions.
    /// </summary>
    public int MaxSequenceLength => IsRobertaFamily ? MaxPositionEmbeddings - PadTokenId - 1 : MaxPositionEmbeddings;

    /// <summary>Dropout probability actually used before the classifier.</summary>
    public double EffectiveClassifierDropout => ClassifierDropout ?? HiddenDropoutProb;

    /// <summary>Label → id (the inverse of <see cref="Labels"/>, as <c>label2id</c>).</summary>
    public IReadOnlyDictionary<string, int> Label2Id => Labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);

    /// <summary>Reads and validates <c>config.json</c> at <paramref name="path"/> (a file, or a folder holding one).</summary>
    /// <exception cref="BioNerException">The file is missing, is not JSON, or breaks an invariant (message names the field).</exception>
    public static ModelConfig Load(string path)
    {
        if (Directory.Exists(path)) path = Path.Combine(path, "config.json");
        if (!File.Exists(path)) throw new BioNerException("config.json not found", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses config.json text; <paramref name="source"/> names the file in error messages.</summary>
    /// <exception cref="BioNerException">Not a JSON object, unsupported model_type, or an invariant fails.</exception>
    public static ModelConfig Parse(string json, string source = "config.json")
    {
        JsonObject obj;
        try
        {
            obj = JsonNode.Parse(json) as JsonObject ?? throw new BioNerException("expected a JSON object", source);
        }
        catch (JsonException e)
        {
            throw new BioNerException($"invalid JSON: {e.Message}", source, (int?)e.LineNumber + 1, e);
        }
        var reader = new FieldReader(obj, source);
        string modelType = reader.String("model_type", "");
        if (!SupportedModelTypes.Contains(modelType))
            throw new BioNerException(
                $"model_type '{modelType}' is not supported; supported: {string.Join(", ", SupportedModelTypes)}", source);
        bool bert = modelType == "bert";
        var config = new ModelConfig
        {
            Raw = obj,
            ModelType = modelType,
            VocabSize = reader.Int("vocab_size", bert ? 30522 : 50265),
            HiddenSize = reader.Int("hidden_size", 768),
            NumHiddenLayers = reader.Int("num_hidden_layers", 12),
            NumAttentionHeads = reader.Int("num_attention_heads", 12),
            IntermediateSize = reader.Int("intermediate_size", 3072),
            HiddenAct = reader.String("hidden_act", "gelu"),
            HiddenDropoutProb = reader.Double("hidden_dropout_prob", 0.1),
            AttentionProbsDropoutProb = reader.Double("attention_probs_dropout_prob", 0.1),
            MaxPositionEmbeddings = reader.Int("max_position_embeddings", bert ? 512 : 514),
            TypeVocabSize = reader.Int("type_vocab_size", bert ? 2 : 1),
            LayerNormEps = reader.Double("layer_norm_eps", bert ? 1e-12 : 1e-5),
            PadTokenId = reader.Int("pad_token_id", bert ? 0 : 1),
            InitializerRange = reader.Double("initializer_range", 0.02),
            ClassifierDropout = reader.NullableDouble("classifier_dropout"),
            Labels = reader.Labels(),
            Head = reader.String("bioner_head", SoftmaxHead),
        };
        if (obj[CrfTransitions.ConfigKey] is { } crf) config = config with { CrfScores = CrfTransitions.FromJson(crf, config.NumLabels, source) };
        string positions = reader.String("position_embedding_type", "absolute");
        if (positions != "absolute")
            throw new BioNerException($"position_embedding_type '{positions}' is not supported; supported: absolute", source);
        config.Validate(source);
        return config;
    }

    /// <summary>A copy with new labels (id order = list order); the head must be rebuilt for it.</summary>
    /// <exception cref="BioNerException">The list is empty or has duplicates.</exception>
    public ModelConfig WithLabels(IReadOnlyList<string> labels)
    {
        var copy = this with { Labels = labels.ToArray(), CrfScores = null };
        copy.Validate("labels");
        return copy;
    }

    /// <summary>
    /// Checks the invariants the model code relies on. Called by <see cref="Parse"/>; call it on configs built with
    /// <c>with</c> (the factory does). <paramref name="source"/> is the file named in the error.
    /// </summary>
    /// <exception cref="BioNerException">Names the field that is out of range or inconsistent.</exception>
    public void Validate(string source = "config.json")
    {
        if (!SupportedModelTypes.Contains(ModelType))
            throw new BioNerException(
                $"model_type '{ModelType}' is not supported; supported: {string.Join(", ", SupportedModelTypes)}", source);
        Positive(VocabSize, "vocab_size", source);
        Positive(HiddenSize, "hidden_size", source);
        Positive(NumHiddenLayers, "num_hidden_layers", source);
        Positive(NumAttentionHeads, "num_attention_heads", source);
        Positive(IntermediateSize, "intermediate_size", source);
        Positive(MaxPositionEmbeddings, "max_position_embeddings", source);
        Positive(TypeVocabSize, "type_vocab_size", source);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new BioNerException(
                $"hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}", source);
        if (!SupportedActivations.Contains(HiddenAct))
            throw new BioNerException(
                $"hidden_act '{HiddenAct}' is not supported; supported: {string.Join(", ", SupportedActivations)}", source);
        Probability(HiddenDropoutProb, "hidden_dropout_prob", source);
        Probability(AttentionProbsDropoutProb, "attention_probs_dropout_prob", source);
        if (ClassifierDropout is { } cd) Probability(cd, "classifier_dropout", source);
        if (!(LayerNormEps > 0)) throw new BioNerException($"layer_norm_eps must be > 0, got {LayerNormEps}", source);
        if (!(InitializerRange > 0)) throw new BioNerException($"initializer_range must be > 0, got {InitializerRange}", source);
        if (PadTokenId < 0 || PadTokenId >= VocabSize)
            throw new BioNerException($"pad_token_id {PadTokenId} is outside the vocabulary (vocab_size {VocabSize})", source);
        if (IsRobertaFamily && MaxSequenceLength < 1)
            throw new BioNerException(
                $"max_position_embeddings {MaxPositionEmbeddings} leaves no positions after pad_token_id {PadTokenId}", source);
        if (Labels.Count == 0) throw new BioNerException("id2label must name at least one label", source);
        if (!SupportedHeads.Contains(Head))
            throw new BioNerException($"bioner_head '{Head}' is not supported; supported: {string.Join(", ", SupportedHeads)}", source);
        if (CrfScores is { } scores && (!HasCrf || scores.Count != NumLabels))
            throw new BioNerException($"{CrfTransitions.ConfigKey} needs bioner_head \"crf\" and one score per label ({NumLabels})", source);
        var duplicate = Labels.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BioNerException($"id2label: label '{duplicate.Key}' appears twice", source);
    }

    /// <summary>
    /// Writes an HF-compatible <c>config.json</c> atomically: every original field kept, known fields updated,
    /// <c>architectures</c>, <c>id2label</c> (string keys) and <c>label2id</c> from the current labels.
    /// </summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToJson()));

    /// <summary><see cref="Save(string)"/> naming another HF class in <c>architectures</c> (a pretrained
    /// <c>BertForMaskedLM</c>/<c>RobertaForMaskedLM</c> folder is still the same config).</summary>
    public void Save(string path, string architecture) =>
        AtomicFile.WriteAllBytes(path, new UTF8Encoding(false).GetBytes(ToJson(architecture)));

    /// <summary>The JSON <see cref="Save(string)"/> writes (indented, like <c>save_pretrained</c>).</summary>
    public string ToJson(string? architecture = null)
    {
        var obj = (JsonObject)Raw.DeepClone();
        obj["architectures"] = new JsonArray(architecture ?? Architecture);
        obj["model_type"] = ModelType;
        obj["vocab_size"] = VocabSize;
        obj["hidden_size"] = HiddenSize;
        obj["num_hidden_layers"] = NumHiddenLayers;
        obj["num_attention_heads"] = NumAttentionHeads;
        obj["intermediate_size"] = IntermediateSize;
        obj["hidden_act"] = HiddenAct;
        obj["hidden_dropout_prob"] = HiddenDropoutProb;
        obj["attention_probs_dropout_prob"] = AttentionProbsDropoutProb;
        obj["max_position_embeddings"] = MaxPositionEmbeddings;
        obj["type_vocab_size"] = TypeVocabSize;
        obj["initializer_range"] = InitializerRange;
        obj["layer_norm_eps"] = LayerNormEps;
        obj["pad_token_id"] = PadTokenId;
        obj["classifier_dropout"] = ClassifierDropout;
        obj.Remove("num_labels");
        if (HasCrf) obj["bioner_head"] = Head;
        else obj.Remove("bioner_head");
        if (CrfScores is { } crf) obj[CrfTransitions.ConfigKey] = crf.ToJson();
        else obj.Remove(CrfTransitions.ConfigKey);
        var id2label = new JsonObject();
        var label2id = new JsonObject();
        for (int i = 0; i < Labels.Count; i++)
        {
            id2label[i.ToString(CultureInfo.InvariantCulture)] = Labels[i];
            label2id[Labels[i]] = i;
        }
        obj["id2label"] = id2label;
        obj["label2id"] = label2id;
        return obj.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static void Positive(int value, string field, string source)
    {
        if (value <= 0) throw new BioNerException($"{field} must be a positive integer, got {value}", source);
    }

    private static void Probability(double value, string field, string source)
    {
        if (!(value >= 0 && value < 1)) throw new BioNerException($"{field} must be in [0, 1), got {value}", source);
    }

    /// <summary>Reads typed fields from the JSON object, naming the field and file on any type error.</summary>
    private sealed class FieldReader(JsonObject obj, string source)
    {
        public string String(string field, string fallback) => Read(field, obj[field], fallback, n => n.GetValue<string>());

        public int Int(string field, int fallback) => Read(field, obj[field], fallback, AsInt);

        public double Double(string field, double fallback) => Read(field, obj[field], fallback, n => n.GetValue<double>());

        public double? NullableDouble(string field) => Read<double?>(field, obj[field], null, n => n.GetValue<double>());

        /// <summary>id2label (ids must be 0..n-1), checked against label2id; num_labels alone gives LABEL_i.</summary>
        public IReadOnlyList<string> Labels()
        {
            var labels = ReadId2Label();
            if (obj["label2id"] is not JsonObject label2id) return labels;
            if (label2id.Count != labels.Length)
                throw new BioNerException($"label2id has {label2id.Count} labels but id2label has {labels.Length}", source);
            for (int i = 0; i < labels.Length; i++)
            {
                int id = Read($"label2id.{labels[i]}", label2id[labels[i]], -1, AsInt);
                if (id != i)
                    throw new BioNerException($"label2id['{labels[i]}'] is {id} but id2label['{i}'] is '{labels[i]}'", source);
            }
            return labels;
        }

        private string[] ReadId2Label()
        {
            if (obj["id2label"] is not JsonObject id2label)
            {
                int n = Int("num_labels", 2);
                if (n <= 0) throw new BioNerException($"num_labels must be a positive integer, got {n}", source);
                return Enumerable.Range(0, n).Select(i => $"LABEL_{i}").ToArray();
            }
            var labels = new string[id2label.Count];
            foreach (var (key, value) in id2label)
            {
                if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int id) || id >= labels.Length)
                    throw new BioNerException(
                        $"id2label key '{key}' is not an id in 0..{labels.Length - 1} (ids must be consecutive from 0)", source);
                labels[id] = Read($"id2label.{key}", value, "", n => n.GetValue<string>());
                if (labels[id].Length == 0) throw new BioNerException($"id2label['{key}'] is empty", source);
            }
            return labels;
        }

        private static int AsInt(JsonNode node)
        {
            double d = node.GetValue<double>();
            return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
                ? (int)d : throw new FormatException("not an integer");
        }

        private T Read<T>(string field, JsonNode? node, T fallback, Func<JsonNode, T> read)
        {
            if (node is null) return fallback;
            try
            {
                return read(node);
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new BioNerException($"field '{field}' has the wrong type or value: {node.ToJsonString()}", source);
            }
        }
    }
}
