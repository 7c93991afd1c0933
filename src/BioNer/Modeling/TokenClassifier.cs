using BioNer.Tokenization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling;

/// <summary>
/// What every BioNer model is: an encoder plus a linear token-classification head, called as
/// <c>model.call(inputIds, attentionMask, tokenTypeIds)</c> → logits. Why a common base: training, evaluation,
/// inference and checkpointing work with any family (RoBERTa, XLM-RoBERTa, BERT) through this one type, and the head
/// (HF's <c>*ForTokenClassification</c>: encoder → dropout → <c>classifier</c>) is the same for all of them, so it lives
/// here and a family only supplies its encoder.
/// Inputs: <c>input_ids</c> (B, T) int64, <c>attention_mask</c> (B, T) int64 (1 = real token, 0 = padding),
/// <c>token_type_ids</c> (B, T) int64 or null (all zeros). Output: logits (B, T, <see cref="ModelConfig.NumLabels"/>)
/// float32. Dropout is active only in train mode (<c>model.train()</c>); call <c>model.eval()</c> for inference.
/// </summary>
public abstract class TokenClassifier : nn.Module<Tensor, Tensor, Tensor?, Tensor>
{
    private readonly nn.Module<Tensor, Tensor, Tensor, Tensor> encoder;
    private readonly Dropout dropout;
    private readonly Linear classifier;
    private readonly LinearChainCrf? crf;

    /// <summary>
    /// Validates <paramref name="config"/> (so every family can rely on it), then builds the family's encoder with
    /// <paramref name="encoder"/> ((B, T) ids, mask, token types → (B, T, H); it may throw for a config of another
    /// family) and the head. The encoder's state-dict prefix is <see cref="ModelConfig.BaseModelPrefix"/>.
    /// </summary>
    protected TokenClassifier(string name, ModelConfig config,
        Func<ModelConfig, nn.Module<Tensor, Tensor, Tensor, Tensor>> encoder) : base(name)
    {
        config.Validate();
        Config = config;
        this.encoder = encoder(config);
        dropout = nn.Dropout(config.EffectiveClassifierDropout);
        classifier = nn.Linear(config.HiddenSize, config.NumLabels);
        // By hand, in call order, not RegisterComponents(): HF names the encoder after the family (roberta.*, bert.*).
        register_module(config.BaseModelPrefix, this.encoder);
        register_module(nameof(dropout), dropout);
        register_module(nameof(classifier), classifier);
        if (config.HasCrf)
        {
            crf = new LinearChainCrf(config.Labels);
            register_module(nameof(crf), crf);
        }
    }

    /// <summary>The configuration the model was built from (sizes, labels in logit-column order).</summary>
    public ModelConfig Config { get; }

    /// <summary>The token-classification head: weight (num_labels, H), bias (num_labels), HF key <c>classifier</c>.</summary>
    public Linear Classifier => classifier;

    /// <summary>The CRF over the classifier's word-level emissions (<c>crf.*</c>) when <see cref="ModelConfig.Head"/> is
    /// <c>crf</c>, else null. Its logits are then emissions, and its loss is the CRF's.</summary>
    public LinearChainCrf? Crf => crf;

    /// <summary>
    /// bf16 mixed precision by hand (HF's <c>--bf16</c>; TorchSharp has no autocast): the linear layers, both attention
    /// products and the head compute in bf16, everything else (embeddings, residual sums, LayerNorm, GELU, softmax
    /// statistics of the loss) in fp32, and the weights stay fp32 masters, so training, optimizer state and checkpoints
    /// are unchanged. Pays only on CPUs with bf16 hardware (AMX, AVX512_BF16; <see cref="Native.CpuFeatures"/>);
    /// elsewhere libtorch emulates it and it is slower than fp32.
    /// </summary>
    public bool ComputeInBf16 { get; set; }

    /// <summary>
    /// Runs the encoder only and returns HF's <c>last_hidden_state</c> (B, T, H), e.g. for parity checks or features.
    /// </summary>
    public Tensor EncoderForward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds = null)
    {
        CheckInputs(inputIds, attentionMask, tokenTypeIds);
        using var bf16 = ModelOps.EnterBf16(ComputeInBf16);
        using var types = tokenTypeIds?.alias() ?? zeros_like(inputIds); // (B, T)
        return encoder.call(inputIds, attentionMask, types); // (B, T, H)
    }

    /// <summary>Logits for every token: (B, T) int64 inputs → (B, T, L) float32.</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        using var hidden = EncoderForward(inputIds, attentionMask, tokenTypeIds); // (B, T, H)
        using var dropped = dropout.call(hidden);
        using var bf16 = ModelOps.EnterBf16(ComputeInBf16);
        return ModelOps.Linear(classifier, dropped); // (B, T, L) fp32
    }

    /// <summary>
    /// The forward pass with its loss, as HF's <c>RobertaForTokenClassification(labels=...)</c> returns it: logits
    /// (B, T, L) and, when <paramref name="labels"/> (B, T) int64 is given, the mean cross-entropy over positions whose
    /// label is not −100 — or, with a CRF head, the CRF's negative log-likelihood of the gold word sequences divided by
    /// the number of labelled words (per-word, so it reads like cross-entropy). Why here: training steps and every
    /// evaluation compute the loss through this one method, so the dev loss in a results table is the loss that was
    /// optimised.
    /// </summary>
    public TokenClassifierOutput Forward(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds, Tensor? labels)
    {
        var logits = call(inputIds, attentionMask, tokenTypeIds);                                    // (B, T, L)
        if (labels is null) return new TokenClassifierOutput(logits, null);
        if (crf is not null)
        {
            var (sum, words) = crf.NegativeLogLikelihood(logits, labels);
            using (sum) return new TokenClassifierOutput(logits, words == 0 ? tensor(float.NaN) : sum / words);
        }
        var loss = nn.functional.cross_entropy(logits.view(-1, logits.shape[2]), labels.view(-1), ignore_index: -100);
        return new TokenClassifierOutput(logits, loss);
    }

    /// <summary>
    /// <see cref="Forward(Tensor, Tensor, Tensor?, Tensor?)"/> on a padded batch: its (B, T) arrays become int64
    /// tensors in the caller's dispose scope; with <paramref name="withLabels"/> the output carries the batch's loss.
    /// </summary>
    public TokenClassifierOutput Forward(EncodedBatch batch, bool withLabels)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long[] shape = [batch.BatchSize, batch.SeqLen];
        var ids = tensor(batch.InputIds, shape, ScalarType.Int64);
        var mask = tensor(batch.AttentionMask, shape, ScalarType.Int64);
        var types = tensor(batch.TokenTypeIds, shape, ScalarType.Int64);
        return Forward(ids, mask, types, withLabels ? tensor(batch.Labels, shape, ScalarType.Int64) : null);
    }

    /// <summary>Number of scalar parameters (encoder and head), as reported by <c>bioner info</c>.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>Checks shapes and sequence length of a batch; throws <see cref="ArgumentException"/> naming the problem.</summary>
    private void CheckInputs(Tensor inputIds, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        if (inputIds.dim() != 2 || inputIds.dtype != ScalarType.Int64)
            throw new ArgumentException($"input_ids must be (B, T) int64, got {inputIds.dtype} {Shape(inputIds)}");
        if (!attentionMask.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"attention_mask {Shape(attentionMask)} must match input_ids {Shape(inputIds)}");
        if (tokenTypeIds is not null && !tokenTypeIds.shape.SequenceEqual(inputIds.shape))
            throw new ArgumentException($"token_type_ids {Shape(tokenTypeIds)} must match input_ids {Shape(inputIds)}");
        if (inputIds.shape[1] > Config.MaxSequenceLength)
            throw new ArgumentException(
                $"sequence length {inputIds.shape[1]} exceeds the model's maximum of {Config.MaxSequenceLength} tokens");
    }

    private static string Shape(Tensor t) => "(" + string.Join(", ", t.shape) + ")";
}

/// <summary>What <see cref="TokenClassifier.Forward(Tensor, Tensor, Tensor?, Tensor?)"/> returns (HF's <c>TokenClassifierOutput</c>).</summary>
/// <param name="Logits">(B, T, L) float32 scores before softmax.</param>
/// <param name="Loss">Scalar mean cross-entropy over labelled positions (NaN when none is labelled), or null without labels.</param>
public sealed record TokenClassifierOutput(Tensor Logits, Tensor? Loss);

/// <summary>Small tensor helpers shared by the model families (mask and activation exactly as HF computes them).</summary>
internal static class ModelOps
{
    // Set by TokenClassifier for the duration of one forward pass on this thread (autograd's CPU backward replays the
    // recorded casts and needs no flag).
    [ThreadStatic] private static bool _bf16;

    /// <summary>Whether matmuls of the forward pass running on this thread compute in bf16 (<see cref="TokenClassifier.ComputeInBf16"/>).</summary>
    public static bool Bf16 => _bf16;

    /// <summary>Sets <see cref="Bf16"/> for a scope; the previous value comes back on dispose (nested forwards).</summary>
    public static Bf16Scope EnterBf16(bool enabled) => new(enabled);

    /// <summary>Restores the previous <see cref="Bf16"/> value when disposed.</summary>
    public readonly struct Bf16Scope : IDisposable
    {
        private readonly bool _previous;

        public Bf16Scope(bool enabled)
        {
            _previous = _bf16;
            _bf16 = enabled;
        }

        public void Dispose() => _bf16 = _previous;
    }

    /// <summary>
    /// A linear layer, (…, in) → (…, out) fp32. Under <see cref="Bf16"/> the product runs in bf16 (input, weight and
    /// bias cast, as autocast does for <c>linear</c>) and the result comes back as fp32, so residual sums, LayerNorm,
    /// GELU and the loss stay fp32 and the weights (fp32 masters) get fp32 gradients through the casts. With
    /// <paramref name="keepComputeType"/> the bf16 result is returned as it is, for a consumer that casts it to bf16
    /// again anyway (Q/K/V into attention, the expansion into GELU and the next linear layer): the fp32 round trip
    /// would be exact, so skipping it changes no value and saves two element-wise passes and their backward.
    /// An input already in bf16 is not cast again.
    /// </summary>
    public static Tensor Linear(Linear layer, Tensor x, bool keepComputeType = false)
    {
        if (!_bf16) return layer.call(x);
        using var xb = x.dtype == ScalarType.BFloat16 ? x.alias() : x.to(ScalarType.BFloat16);
        using var wb = layer.weight!.to(ScalarType.BFloat16);
        using var bb = layer.bias?.to(ScalarType.BFloat16);
        var y = nn.functional.linear(xb, wb, bb);
        if (keepComputeType) return y;
        using (y) return y.to(ScalarType.Float32);
    }

    /// <summary>
    /// <paramref name="x"/> in the dtype the matmuls of this forward pass run in: a bf16 copy under <see cref="Bf16"/>
    /// (cast once for the three attention projections instead of three times), otherwise an alias.
    /// </summary>
    public static Tensor ToComputeType(Tensor x) =>
        _bf16 && x.dtype != ScalarType.BFloat16 ? x.to(ScalarType.BFloat16) : x.alias();

    /// <summary>
    /// HF's extended attention mask: (B, T) of 1/0 → additive (B, 1, 1, T) float, 0 where a key may be attended and
    /// the most negative float where it is padding, so softmax gives padded keys weight 0.
    /// </summary>
    public static Tensor AdditiveMask(Tensor attentionMask, ScalarType dtype)
    {
        using var keep = attentionMask.to(dtype).unsqueeze(1).unsqueeze(2); // (B, 1, 1, T)
        using var blocked = 1.0 - keep;
        return blocked * float.MinValue;
    }

    /// <summary>The feed-forward activation named by <c>hidden_act</c> (<c>gelu</c> = exact erf GELU, as in HF).</summary>
    public static Func<Tensor, Tensor> Activation(string name) => name switch
    {
        "gelu" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" => x => nn.functional.gelu(x, GELU.Approximate.tanh),
        "relu" => x => nn.functional.relu(x),
        _ => throw new BioNerException($"hidden_act '{name}' is not supported", "config.json"),
    };

    /// <summary>
    /// Multi-head scaled dot-product attention with an additive mask. q, k, v: (B, T, H) → context (B, T, H), fp32, or
    /// under <see cref="Bf16"/> in bf16 (its consumer, the attention output projection, computes in bf16).
    /// Attention-probability dropout <paramref name="dropout"/> applies only when <paramref name="training"/>.
    /// </summary>
    public static Tensor MultiHeadAttention(Tensor q, Tensor k, Tensor v, Tensor additiveMask, int heads, double dropout,
        bool training)
    {
        long b = q.shape[0], t = q.shape[1], h = q.shape[2];
        var dtype = _bf16 ? ScalarType.BFloat16 : ScalarType.Float32;         // bf16: both products, as autocast runs SDPA
        using var qh = q.view(b, t, heads, h / heads).transpose(1, 2).to(dtype); // (B, nh, T, hd)
        using var kh = k.view(b, t, heads, h / heads).transpose(1, 2).to(dtype); // (B, nh, T, hd)
        using var vh = v.view(b, t, heads, h / heads).transpose(1, 2).to(dtype); // (B, nh, T, hd)
        using var mask = additiveMask.to(dtype);                                  // (B, 1, 1, T)
        using var context = nn.functional.scaled_dot_product_attention(
            qh, kh, vh, mask, training ? dropout : 0.0); // (B, nh, T, hd)
        return context.transpose(1, 2).reshape(b, t, h); // (B, T, H)
    }
}
