using BioNer.Modeling.Bert;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling.Roberta;

// RoBERTa (and XLM-RoBERTa) for token classification, as HF modular_roberta.py writes it: BERT with other embeddings.
// Only what differs is here; the layers, encoder and head are Modeling/Bert/BertModel.cs's. Field names are the HF
// state-dict keys: roberta.embeddings.word_embeddings.weight, roberta.encoder.layer.0.attention.self.query.weight, ...,
// classifier.weight. B = batch, T = tokens, H = hidden, L = labels.

/// <summary>
/// Token + position + token-type embeddings, LayerNorm, dropout: (B, T) ids → (B, T, H). Unlike BERT's, positions
/// count from padding_idx + 1 and the position table has a padding row.
/// </summary>
internal sealed class RobertaEmbeddings : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding position_embeddings;
    private readonly Embedding token_type_embeddings;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;
    private readonly long paddingIdx;

    public RobertaEmbeddings(ModelConfig c) : base(nameof(RobertaEmbeddings))
    {
        paddingIdx = c.PadTokenId;
        word_embeddings = nn.Embedding(c.VocabSize, c.HiddenSize, padding_idx: c.PadTokenId);
        position_embeddings = nn.Embedding(c.MaxPositionEmbeddings, c.HiddenSize, padding_idx: c.PadTokenId);
        token_type_embeddings = nn.Embedding(c.TypeVocabSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, c.LayerNormEps);
        dropout = nn.Dropout(c.HiddenDropoutProb);
        RegisterComponents();
    }

    public override Tensor forward(Tensor inputIds, Tensor tokenTypeIds)
    {
        // HF create_position_ids_from_input_ids: real tokens count up from padding_idx + 1, pads keep padding_idx.
        using var notPad = inputIds.ne(paddingIdx).to(ScalarType.Int64); // (B, T)
        using var count = notPad.cumsum(1); // (B, T)
        using var counted = count * notPad;
        using var positionIds = counted + paddingIdx; // (B, T)
        using var words = word_embeddings.call(inputIds); // (B, T, H)
        using var types = token_type_embeddings.call(tokenTypeIds); // (B, T, H)
        using var positions = position_embeddings.call(positionIds); // (B, T, H)
        using var sum = words + types + positions;
        using var normed = LayerNorm.call(sum);
        return dropout.call(normed);
    }
}

/// <summary>
/// HF <c>RobertaForTokenClassification</c> (also used for XLM-RoBERTa): HF's
/// <c>RobertaModel(add_pooling_layer=False)</c>, which is <see cref="BertModel"/> over <see cref="RobertaEmbeddings"/>,
/// → dropout → linear head (the head is <see cref="TokenClassifier"/>'s), (B, T) ids → logits (B, T, L).
/// State-dict keys: <c>roberta.*</c> and <c>classifier.{weight,bias}</c>.
/// </summary>
public sealed class RobertaForTokenClassification : TokenClassifier
{
    /// <summary>Builds the model for <paramref name="config"/> (weights uninitialised: use ModelFactory or a loader).</summary>
    public RobertaForTokenClassification(ModelConfig config)
        : base(nameof(RobertaForTokenClassification), config, Encoder)
    {
    }

    internal static BertModel Encoder(ModelConfig config) => config.IsRobertaFamily
        ? new BertModel(config, new RobertaEmbeddings(config))
        : throw new ArgumentException(
            $"model_type '{config.ModelType}' is not a RoBERTa family model", nameof(config));
}
