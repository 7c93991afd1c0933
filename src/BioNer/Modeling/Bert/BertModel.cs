using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling.Bert;

// BERT for token classification, top to bottom in forward order, mirroring HF modeling_bert.py. RoBERTa is this model
// with other embeddings (HF modular_roberta.py; Modeling/Roberta/RobertaModel.cs), so everything after the embeddings
// serves both families; the head (dropout → classifier) is TokenClassifier's. Field names are the HF state-dict keys:
// bert.embeddings.word_embeddings.weight, bert.encoder.layer.0.attention.self.query.weight, ..., classifier.weight.
// B = batch, T = tokens, H = hidden, nh = heads, hd = H / nh, I = intermediate size, L = labels.

/// <summary>Token + position + token-type embeddings, LayerNorm, dropout: (B, T) ids → (B, T, H).</summary>
internal sealed class BertEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertEmbeddings(ModelConfig c) : base(nameof(BertEmbeddings))
    {
        word_embeddings = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.HiddenSize);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        // BERT positions are simply 0..T-1 for every row (padding included; the attention mask hides it).
        using var positionIds = arange(inputIds.shape[1], ScalarType.Int64, inputIds.device).unsqueeze(0); // (1, T)
        using var words = word_embeddings.call(inputIds); // (B, T, H)
        using var types = token_type_embeddings.call(tokenTypeIds); // (B, T, H)
        using var positions = position_embeddings.call(positionIds); // (1, T, H), broadcast over B
        using var sum = words + types + positions;
        using var normed = LayerNorm.call(sum);
        return dropout.call(normed);
    }
}

/// <summary>Multi-head self-attention: hidden (B, T, H) + additive mask (B, 1, 1, T) → context (B, T, H).</summary>
internal sealed class BertSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear query;
    private readonly Linear key;
    private readonly Linear value;
    private readonly int heads;
    private readonly double attentionDropout;

    public BertSelfAttention(ModelConfig c) : base(nameof(BertSelfAttention))
    {
        query = nn.Linear(c.HiddenSize, c.HiddenSize);
        key = nn.Linear(c.HiddenSize, c.HiddenSize);
        value = nn.Linear(c.HiddenSize, c.HiddenSize);
        heads = c.NumAttentionHeads;
        attentionDropout = c.AttentionProbsDropoutProb;
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var x = ModelOps.ToComputeType(hidden); // (B, T, H), bf16 under ComputeInBf16
        using var q = ModelOps.Linear(query, x, keepComputeType: true); // (B, T, H)
        using var k = ModelOps.Linear(key, x, keepComputeType: true); // (B, T, H)
        using var v = ModelOps.Linear(value, x, keepComputeType: true); // (B, T, H)
        return ModelOps.MultiHeadAttention(q, k, v, additiveMask, heads, attentionDropout, training); // (B, T, H)
    }
}

/// <summary>
/// Projection back to H, dropout, residual and LayerNorm: (B, T, in) + input (B, T, H) → (B, T, H). HF has two such
/// classes that differ only in the input width: <c>BertSelfOutput</c> (in = H, key <c>attention.output</c>) and
/// <c>BertOutput</c> (in = I, key <c>output</c>).
/// </summary>
internal sealed class BertOutput : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public BertOutput(ModelConfig c, int inputSize) : base(nameof(BertOutput))
    {
        dense = nn.Linear(inputSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features, Tensor input)
    {
        using var projected = ModelOps.Linear(dense, features); // (B, T, H)
        using var dropped = dropout.call(projected);
        using var residual = dropped + input;
        return LayerNorm.call(residual); // (B, T, H)
    }
}

/// <summary>Self-attention block (HF keys <c>attention.self</c> and <c>attention.output</c>): (B, T, H) → (B, T, H).</summary>
internal sealed class BertAttention : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertOutput output;

    public BertAttention(ModelConfig c) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(c);
        output = new BertOutput(c, c.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var context = self.call(hidden, additiveMask); // (B, T, H)
        return output.call(context, hidden); // (B, T, H)
    }
}

/// <summary>Feed-forward expansion and activation: (B, T, H) → (B, T, I).</summary>
internal sealed class BertIntermediate : nn.Module<Tensor, Tensor>
{
    private readonly Linear dense;
    private readonly Func<Tensor, Tensor> activation;

    public BertIntermediate(ModelConfig c) : base(nameof(BertIntermediate))
    {
        dense = nn.Linear(c.HiddenSize, c.IntermediateSize);
        activation = ModelOps.Activation(c.HiddenAct);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden)
    {
        // Under bf16 the activation runs on the bf16 product: ATen evaluates GELU of bf16 in fp32 and rounds once, the
        // value the next (bf16) linear layer would have cast it to anyway.
        using var expanded = ModelOps.Linear(dense, hidden, keepComputeType: true); // (B, T, I)
        return activation(expanded);
    }
}

/// <summary>One transformer layer: attention block then feed-forward block, (B, T, H) → (B, T, H).</summary>
internal sealed class BertLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;

    public BertLayer(ModelConfig c) : base(nameof(BertLayer))
    {
        attention = new BertAttention(c);
        intermediate = new BertIntermediate(c);
        output = new BertOutput(c, c.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        using var attended = attention.call(hidden, additiveMask); // (B, T, H)
        using var expanded = intermediate.call(attended); // (B, T, I)
        return output.call(expanded, attended); // (B, T, H)
    }
}

/// <summary>The stack of layers (HF key <c>encoder.layer.N</c>): (B, T, H) → (B, T, H).</summary>
internal sealed class BertEncoder : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    public BertEncoder(ModelConfig c) : base(nameof(BertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new BertLayer(c)).ToArray());
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden, Tensor additiveMask)
    {
        var x = hidden.alias();
        foreach (var block in layer)
        {
            var next = block.call(x, additiveMask);
            x.Dispose();
            x = next;
        }
        return x;
    }
}

/// <summary>
/// The BERT encoder without pooler (HF <c>BertModel(add_pooling_layer=False)</c>; a checkpoint's pooler is ignored):
/// ids (B, T) + mask (B, T) + token types (B, T) → <c>last_hidden_state</c> (B, T, H). With RoBERTa's embeddings it is
/// HF's <c>RobertaModel(add_pooling_layer=False)</c>.
/// </summary>
public sealed class BertModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor, Tensor> embeddings;
    private readonly BertEncoder encoder;

    /// <summary>Builds the encoder with sizes from <paramref name="config"/> (weights uninitialised: use ModelFactory).</summary>
    public BertModel(ModelConfig config) : this(config, new BertEmbeddings(config))
    {
    }

    /// <summary>
    /// The same layers over another family's <paramref name="embeddings"/>: (B, T) ids + (B, T) token types → (B, T, H),
    /// registered under HF's key <c>embeddings</c>.
    /// </summary>
    internal BertModel(ModelConfig config, nn.Module<Tensor, Tensor, Tensor> embeddings) : base(nameof(BertModel))
    {
        this.embeddings = embeddings;
        encoder = new BertEncoder(config);
        RegisterComponents();
    }

    /// <summary>Encodes a batch: all inputs (B, T) int64 → last_hidden_state (B, T, H) float32.</summary>
    public override Tensor forward(Tensor inputIds, Tensor attentionMask, Tensor tokenTypeIds)
    {
        using var embedded = embeddings.call(inputIds, tokenTypeIds); // (B, T, H)
        using var mask = ModelOps.AdditiveMask(attentionMask, embedded.dtype); // (B, 1, 1, T)
        return encoder.call(embedded, mask); // (B, T, H)
    }
}

/// <summary>
/// HF <c>BertForTokenClassification</c>: <see cref="BertModel"/> → dropout → linear head (the head is
/// <see cref="TokenClassifier"/>'s), (B, T) ids → logits (B, T, L). State-dict keys: <c>bert.*</c> and
/// <c>classifier.{weight,bias}</c>.
/// </summary>
public sealed class BertForTokenClassification : TokenClassifier
{
    /// <summary>Builds the model for <paramref name="config"/> (weights uninitialised: use ModelFactory or a loader).</summary>
    public BertForTokenClassification(ModelConfig config) : base(nameof(BertForTokenClassification), config, Encoder)
    {
    }

    internal static BertModel Encoder(ModelConfig config) => config.ModelType == "bert"
        ? new BertModel(config)
        : throw new ArgumentException($"model_type '{config.ModelType}' is not BERT", nameof(config));
}
