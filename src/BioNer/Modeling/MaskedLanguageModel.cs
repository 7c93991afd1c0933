using BioNer.Checkpoints;
using BioNer.IO;
using BioNer.Modeling.Bert;
using BioNer.Modeling.Roberta;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling;

/// <summary>
/// HF's <c>RobertaForMaskedLM</c> / <c>BertForMaskedLM</c>: the family's encoder (the same module and state-dict names
/// as the token classifier's, so a pretrained folder fine-tunes with <c>bioner train --model DIR</c>) and the MLM head,
/// whose decoder is tied to the word embeddings. Why: <c>bioner pretrain</c> adapts an encoder to biomedical text by
/// continued masked-language-model training (domain-adaptive pretraining), as HF's <c>run_mlm.py</c> does.
/// <para>
/// Head, by HF's names: RoBERTa <c>lm_head.dense</c> (H, H) → GELU → <c>lm_head.layer_norm</c> → decoder (tied) +
/// <c>lm_head.bias</c> (V); BERT <c>cls.predictions.transform.dense</c> (H, H) → <c>hidden_act</c> →
/// <c>cls.predictions.transform.LayerNorm</c> → decoder (tied) + <c>cls.predictions.bias</c> (V). The decoder weight is
/// the (V, H) word-embedding table itself, not a copy, and is saved once (as <c>save_pretrained</c> does with tied
/// weights). Inputs (B, T) int64; logits (B, T, V) float32.
/// </para>
/// </summary>
public sealed class MaskedLanguageModel : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly nn.Module<Tensor, Tensor, Tensor, Tensor> _encoder;
    private readonly Linear _dense;
    private readonly LayerNorm _norm;
    private readonly Parameter _bias;
    private readonly Parameter _wordEmbeddings;                  // (V, H), registered once, inside the encoder
    private readonly Func<Tensor, Tensor> _activation;

    /// <summary>The model for <paramref name="config"/>, weights uninitialised (use <see cref="Create"/> or <see cref="Load"/>).</summary>
    public MaskedLanguageModel(ModelConfig config) : base(config.IsRobertaFamily ? "RobertaForMaskedLM" : "BertForMaskedLM")
    {
        config.Validate();
        Config = config;
        _encoder = config.IsRobertaFamily ? RobertaForTokenClassification.Encoder(config) : BertForTokenClassification.Encoder(config);
        _dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        _norm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        _bias = nn.Parameter(zeros(config.VocabSize));
        _activation = config.IsRobertaFamily ? x => nn.functional.gelu(x) : ModelOps.Activation(config.HiddenAct);
        register_module(config.BaseModelPrefix, _encoder);
        if (config.IsRobertaFamily)
            register_module("lm_head", new Node("lm_head", ("dense", _dense), ("layer_norm", _norm)).With("bias", _bias));
        else
            register_module("cls", new Node("cls", ("predictions",
                new Node("predictions", ("transform", new Node("transform", ("dense", _dense), ("LayerNorm", _norm)))).With("bias", _bias))));
        _wordEmbeddings = _encoder.named_parameters().Single(p => p.name == "embeddings.word_embeddings.weight").parameter;
    }

    /// <summary>The configuration the model was built from.</summary>
    public ModelConfig Config { get; }

    /// <summary>HF's class name, written to <c>architectures</c> when saved.</summary>
    public string Architecture => GetName();

    /// <summary>State-dict names of the head (the tied decoder weight excluded): what a checkpoint must hold all or none of.</summary>
    public IReadOnlyList<string> HeadNames => state_dict().Keys.Where(k => !k.StartsWith(Config.BaseModelPrefix + ".", StringComparison.Ordinal)).ToList();

    /// <summary>HF's <c>last_hidden_state</c> (B, T, H) of a batch.</summary>
    public Tensor Encode(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        using var types = tokenTypeIds?.alias() ?? zeros_like(inputIds);
        return _encoder.call(inputIds, attentionMask, types);
    }

    /// <summary>The MLM head on hidden states: (…, H) → logits (…, V).</summary>
    public Tensor Head(Tensor hidden)
    {
        using var dense = _dense.call(hidden);
        using var activated = _activation(dense);
        using var normed = _norm.call(activated);
        return nn.functional.linear(normed, _wordEmbeddings, _bias);
    }

    /// <summary>Logits for every position: (B, T) → (B, T, V), as HF's <c>*ForMaskedLM(...).logits</c>.</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var hidden = Encode(inputIds, attentionMask, tokenTypeIds);   // (B, T, H)
        return Head(hidden);                                               // (B, T, V)
    }

    /// <summary>
    /// The MLM loss of a batch: mean cross-entropy over positions whose label is not −100 (HF's loss), the head run only
    /// at those positions (N of B·T, ~15%), which is what makes a 30 k-word vocabulary affordable on a CPU. NaN when no
    /// position is labelled. <paramref name="labels"/> (B, T) int64: the original id at masked positions, −100 elsewhere.
    /// </summary>
    public Tensor Loss(Tensor inputIds, Tensor attentionMask, Tensor labels)
    {
        using var hidden = Encode(inputIds, attentionMask);                 // (B, T, H)
        using var flatLabels = labels.view(-1);                            // (B·T)
        using var where = flatLabels.ne(-100).nonzero().squeeze(1);        // (N)
        if (where.shape[0] == 0) return tensor(float.NaN);
        using var flat = hidden.view(-1, hidden.shape[2]);                  // (B·T, H)
        using var picked = flat.index_select(0, where);                    // (N, H)
        using var targets = flatLabels.index_select(0, where);             // (N)
        using var logits = Head(picked);                                   // (N, V)
        return nn.functional.cross_entropy(logits, targets);
    }

    /// <summary>A fresh model initialised as HF's <c>_init_weights</c> (MLM bias 0), bit-identical for a seed.</summary>
    public static MaskedLanguageModel Create(ModelConfig config, long seed)
    {
        var model = new MaskedLanguageModel(config);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        ModelFactory.InitializeWeights(model, config, generator);
        using (no_grad()) model._bias.zero_();
        return model;
    }

    /// <summary>
    /// Loads the encoder of any BioNer/HF checkpoint folder (strictly, as <see cref="CheckpointLoader"/> does) and its MLM
    /// head when it has one (<c>lm_head.*</c> or <c>cls.predictions.*</c>, all or nothing); a checkpoint without one — the
    /// built-in MiniLM, a fine-tuned NER model — gets a fresh head initialised as HF does (seeded), which is logged.
    /// </summary>
    /// <exception cref="BioNerException">Missing or inconsistent files, or a head with some tensors missing (names them).</exception>
    public static MaskedLanguageModel Load(string dir, Action<string>? log = null, long seed = 42)
    {
        log ??= _ => { };
        var config = ModelConfig.Load(Path.Combine(dir, "config.json"));
        var model = Create(config with { Head = ModelConfig.SoftmaxHead, CrfScores = null }, seed);
        try
        {
            using var scope = NewDisposeScope();
            using (var encoder = CheckpointLoader.Load(dir, log: _ => { }, head: ModelConfig.SoftmaxHead))
            {
                var source = encoder.state_dict();
                var target = model.state_dict();
                using var noGrad = no_grad();
                foreach (var (name, t) in target)
                    if (source.TryGetValue(name, out var s) && name.StartsWith(config.BaseModelPrefix + ".", StringComparison.Ordinal)) t.copy_(s);
            }
            string weights = CheckpointLoader.FindWeights(dir);
            var stored = WeightFile.Read(weights);
            var heads = model.HeadNames;
            var present = heads.Where(stored.ContainsKey).ToList();
            if (present.Count == 0)
                log($"no masked-LM head in {weights}: new {model.Architecture} head initialised as HF does (N(0, {config.InitializerRange}), bias 0)");
            else if (present.Count < heads.Count)
                throw new BioNerException($"masked-LM head is incomplete: missing {string.Join(", ", heads.Except(present))}", weights);
            else
            {
                var target = model.state_dict();
                using var noGrad = no_grad();
                foreach (var name in heads)
                {
                    if (!stored[name].shape.SequenceEqual(target[name].shape))
                        throw new BioNerException($"tensor '{name}' has shape [{string.Join(", ", stored[name].shape)}], the config needs [{string.Join(", ", target[name].shape)}]", weights);
                    target[name].copy_(stored[name].to(ScalarType.Float32));
                }
                log($"loaded {model.Architecture} head from {weights}");
            }
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>
    /// Writes an HF folder (atomically): <c>config.json</c> naming <see cref="Architecture"/> and <c>model.safetensors</c>
    /// with the encoder and head (the tied decoder once, as the word embeddings). <paramref name="writeExtraFiles"/> adds
    /// files (tokenizer, card) before the folder is renamed into place.
    /// </summary>
    public void Save(string dir, Action<string>? writeExtraFiles = null) =>
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            Config.Save(Path.Combine(tmp, "config.json"), Architecture);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var tensors = state_dict().Select(p => KeyValuePair.Create(p.Key, p.Value.detach().contiguous())).ToList();
            SafetensorsWriter.Write(Path.Combine(tmp, "model.safetensors"), tensors);
            writeExtraFiles?.Invoke(tmp);
        });

    // A named container in the state-dict tree (lm_head, cls.predictions.transform, ...): children and parameters only.
    private sealed class Node : nn.Module
    {
        public Node(string name, params (string Name, nn.Module Module)[] children) : base(name)
        {
            foreach (var (n, m) in children) register_module(n, m);
        }

        public Node With(string name, Parameter parameter)
        {
            register_parameter(name, parameter);
            return this;
        }
    }
}
