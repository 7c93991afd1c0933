using BioNer.Checkpoints;
using BioNer.Modeling;
using BioNer.Onnx.Proto;

namespace BioNer.Onnx.Export;

// The token classifier as an ONNX graph, top to bottom in forward order, mirroring Modeling/Bert/BertModel.cs (and
// RoBERTa's embeddings in Modeling/Roberta/RobertaModel.cs). B = batch, T = tokens (both dynamic), H = hidden,
// nh = heads, hd = H / nh, I = intermediate size, L = labels. Only standard ONNX operators (opset 17: LayerNormalization, Erf); ONNX Runtime's
// optimizer fuses them at session creation into its LayerNorm/SkipLayerNorm/BiasGelu/Attention kernels.

/// <summary>
/// Writes the nodes of a BERT or RoBERTa token classifier into an <see cref="ExportGraphBuilder"/>. Initializers keep
/// the HF state-dict names (<c>roberta.encoder.layer.0.attention.self.query.bias</c>); each Linear weight is stored
/// transposed ([in, out], what MatMul wants) as <c>onnx::MatMul_{module}.weight</c>, the torch.onnx convention.
/// </summary>
internal sealed class ExportTransformer(ModelConfig config, IReadOnlyDictionary<string, NamedTensor> weights,
    ExportGraphBuilder b)
{
    private readonly string _p = config.BaseModelPrefix;

    /// <summary>Declares inputs/outputs and emits the whole forward pass: ids (B, T) → logits (B, T, L).</summary>
    public void Build()
    {
        bool bert = !config.IsRobertaFamily;
        var batchSeq = new[] { OnnxDim.Symbolic("batch_size"), OnnxDim.Symbolic("sequence_length") };
        b.Graph.Inputs.Add(OnnxValueInfo.Tensor("input_ids", OnnxDataType.Int64, batchSeq));
        b.Graph.Inputs.Add(OnnxValueInfo.Tensor("attention_mask", OnnxDataType.Int64, batchSeq));
        if (bert) b.Graph.Inputs.Add(OnnxValueInfo.Tensor("token_type_ids", OnnxDataType.Int64, batchSeq));

        string hidden = bert ? BertEmbeddings() : RobertaEmbeddings(); // (B, T, H)
        string mask = ExtendedMask(); // (B, 1, 1, T)
        for (int l = 0; l < config.NumHiddenLayers; l++) hidden = Layer(l, hidden, mask); // (B, T, H)
        string logits = Linear("classifier", "/classifier", hidden); // (B, T, L)
        b.Output(logits, OnnxValueInfo.Tensor("logits", OnnxDataType.Float,
            OnnxDim.Symbolic("batch_size"), OnnxDim.Symbolic("sequence_length"), OnnxDim.Fixed(config.NumLabels)));
    }

    // HF create_position_ids_from_input_ids: cumsum of the non-pad mask, times the mask, plus padding_idx.
    private string RobertaEmbeddings()
    {
        const string n = "/roberta/embeddings";
        string isPad = b.Op("Equal", $"{n}/Equal", ["input_ids", b.Int64Scalar(config.PadTokenId)]);
        string notPad = b.Op("Not", $"{n}/Not", [isPad]);
        string keep = b.Op("Cast", $"{n}/Cast", [notPad], OnnxAttribute.Int("to", (long)OnnxDataType.Int64)); // (B, T)
        string count = b.Op("CumSum", $"{n}/CumSum", [keep, b.Int64Scalar(1)]); // (B, T)
        string counted = b.Op("Mul", $"{n}/Mul", [count, keep]);
        string positionIds = b.Op("Add", $"{n}/Add", [counted, b.Int64Scalar(config.PadTokenId)]); // (B, T)
        // RoBERTa has no token_type_ids input: HF uses the buffered zeros, i.e. row 0 of the table for every token.
        string typeRow = b.Op("Gather", $"{n}/token_type_embeddings/Gather",
            [Weight("embeddings.token_type_embeddings.weight"), b.Int64Scalar(0)]); // (H)
        return SumAndNormalize(n, positionIds, typeRow);
    }

    // BERT positions are 0..T-1 for every row (padding included; the attention mask hides it).
    private string BertEmbeddings()
    {
        const string n = "/bert/embeddings";
        string shape = b.Op("Shape", $"{n}/Shape", ["input_ids"]); // [B, T]
        string t = b.Op("Gather", $"{n}/Gather", [shape, b.Int64Scalar(1)]); // T
        string range = b.Op("Range", $"{n}/Range", [b.Int64Scalar(0), t, b.Int64Scalar(1)]); // (T)
        string positionIds = b.Op("Unsqueeze", $"{n}/Unsqueeze", [range, b.Int64s(0)]); // (1, T)
        string types = b.Op("Gather", $"{n}/token_type_embeddings/Gather",
            [Weight("embeddings.token_type_embeddings.weight"), "token_type_ids"]); // (B, T, H)
        return SumAndNormalize(n, positionIds, types);
    }

    private string SumAndNormalize(string n, string positionIds, string types)
    {
        string words = b.Op("Gather", $"{n}/word_embeddings/Gather",
            [Weight("embeddings.word_embeddings.weight"), "input_ids"]); // (B, T, H)
        string positions = b.Op("Gather", $"{n}/position_embeddings/Gather",
            [Weight("embeddings.position_embeddings.weight"), positionIds]); // (B or 1, T, H)
        string sum = b.Op("Add", $"{n}/Add_1", [words, types]);
        sum = b.Op("Add", $"{n}/Add_2", [sum, positions]); // (B, T, H)
        return LayerNorm($"{_p}.embeddings.LayerNorm", $"{n}/LayerNorm", sum);
    }

    // HF extended attention mask: (1 - mask) * most negative float, as (B, 1, 1, T) to broadcast over heads and queries.
    private string ExtendedMask()
    {
        const string n = "/extended_attention_mask";
        string unsqueezed = b.Op("Unsqueeze", $"{n}/Unsqueeze", ["attention_mask", b.Int64s(1, 2)]); // (B, 1, 1, T)
        string keep = b.Op("Cast", $"{n}/Cast", [unsqueezed], OnnxAttribute.Int("to", (long)OnnxDataType.Float));
        string blocked = b.Op("Sub", $"{n}/Sub", [b.Float(1f), keep]);
        return b.Op("Mul", $"{n}/Mul", [blocked, b.Float(float.MinValue)]);
    }

    private string Layer(int l, string hidden, string mask)
    {
        string m = $"{_p}.encoder.layer.{l}";
        string n = $"/{_p}/encoder/layer.{l}";
        string context = SelfAttention($"{m}.attention.self", $"{n}/attention/self", hidden, mask); // (B, T, H)
        string projected = Linear($"{m}.attention.output.dense", $"{n}/attention/output/dense", context);
        string residual = b.Op("Add", $"{n}/attention/output/Add", [projected, hidden]);
        string attended = LayerNorm($"{m}.attention.output.LayerNorm", $"{n}/attention/output/LayerNorm", residual);
        string expanded = Linear($"{m}.intermediate.dense", $"{n}/intermediate/dense", attended); // (B, T, I)
        string activated = Activation($"{n}/intermediate/act", expanded);
        string back = Linear($"{m}.output.dense", $"{n}/output/dense", activated); // (B, T, H)
        string residual2 = b.Op("Add", $"{n}/output/Add", [back, attended]);
        return LayerNorm($"{m}.output.LayerNorm", $"{n}/output/LayerNorm", residual2); // (B, T, H)
    }

    private string SelfAttention(string m, string n, string hidden, string mask)
    {
        int heads = config.NumAttentionHeads, hd = config.HiddenSize / heads;
        string Heads(string module, long[] perm)
        {
            string x = Linear($"{m}.{module}", $"{n}/{module}", hidden); // (B, T, H)
            string split = b.Op("Reshape", $"{n}/{module}/Reshape", [x, b.Int64s(0, 0, heads, hd)]); // (B, T, nh, hd)
            return b.Op("Transpose", $"{n}/{module}/Transpose", [split], OnnxAttribute.IntList("perm", perm));
        }
        string q = Heads("query", [0, 2, 1, 3]); // (B, nh, T, hd)
        string kT = Heads("key", [0, 2, 3, 1]); // (B, nh, hd, T)
        string v = Heads("value", [0, 2, 1, 3]); // (B, nh, T, hd)
        string scores = b.Op("MatMul", $"{n}/MatMul", [q, kT]); // (B, nh, T, T)
        string scaled = b.Op("Div", $"{n}/Div", [scores, b.Float(MathF.Sqrt(hd))]);
        string masked = b.Op("Add", $"{n}/Add", [scaled, mask]);
        string probs = b.Op("Softmax", $"{n}/Softmax", [masked], OnnxAttribute.Int("axis", -1));
        string context = b.Op("MatMul", $"{n}/MatMul_1", [probs, v]); // (B, nh, T, hd)
        string merged = b.Op("Transpose", $"{n}/Transpose", [context], OnnxAttribute.IntList("perm", 0, 2, 1, 3)); // (B, T, nh, hd)
        return b.Op("Reshape", $"{n}/Reshape", [merged, b.Int64s(0, 0, config.HiddenSize)]); // (B, T, H)
    }

    // gelu = exact erf GELU, x * 0.5 * (1 + erf(x / sqrt 2)): the pattern ORT fuses into Gelu / BiasGelu.
    private string Activation(string n, string x)
    {
        switch (config.HiddenAct)
        {
            case "gelu":
                string erf = b.Op("Erf", $"{n}/Erf", [b.Op("Div", $"{n}/Div", [x, b.Float(MathF.Sqrt(2f))])]);
                string onePlus = b.Op("Add", $"{n}/Add", [erf, b.Float(1f)]);
                string times = b.Op("Mul", $"{n}/Mul", [x, onePlus]);
                return b.Op("Mul", $"{n}/Mul_1", [times, b.Float(0.5f)]);
            case "gelu_new" or "gelu_pytorch_tanh":
                // 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))
                string cube = b.Op("Mul", $"{n}/Mul", [b.Op("Mul", $"{n}/Mul_1", [x, x]), x]);
                string inner = b.Op("Add", $"{n}/Add", [x, b.Op("Mul", $"{n}/Mul_2", [cube, b.Float(0.044715f)])]);
                string tanh = b.Op("Tanh", $"{n}/Tanh", [b.Op("Mul", $"{n}/Mul_3", [inner, b.Float(MathF.Sqrt(2f / MathF.PI))])]);
                string gate = b.Op("Mul", $"{n}/Mul_4", [b.Op("Add", $"{n}/Add_1", [tanh, b.Float(1f)]), b.Float(0.5f)]);
                return b.Op("Mul", $"{n}/Mul_5", [x, gate]);
            case "relu":
                return b.Op("Relu", $"{n}/Relu", [x]);
            default:
                throw new BioNerException($"hidden_act '{config.HiddenAct}' cannot be exported", "config.json");
        }
    }

    // y = x W^T + b as MatMul(x, W^T [in, out]) then Add(·, bias): the pattern OnnxStateDict reads back.
    private string Linear(string module, string n, string x)
    {
        var w = Get($"{module}.weight"); // (out, in)
        int rows = (int)w.Shape[0], cols = (int)w.Shape[1];
        var transposed = new float[w.Data.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) transposed[c * rows + r] = w.Data[r * cols + c];
        string weight = b.Initializer(OnnxTensor.FromFloats($"onnx::MatMul_{module}.weight", [cols, rows], transposed));
        string product = b.Op("MatMul", $"{n}/MatMul", [x, weight]);
        return b.Op("Add", $"{n}/Add", [product, Weight($"{module}.bias", prefixed: false)]);
    }

    private string LayerNorm(string module, string n, string x) =>
        b.Op("LayerNormalization", n, [x, Weight($"{module}.weight", false), Weight($"{module}.bias", false)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)config.LayerNormEps));

    private string Weight(string name, bool prefixed = true)
    {
        var t = Get(prefixed ? $"{_p}.{name}" : name);
        return b.Initializer(OnnxTensor.FromFloats(t.Name, t.Shape, t.Data));
    }

    private NamedTensor Get(string name) => weights.TryGetValue(name, out var t) ? t
        : throw new InvalidOperationException($"state dict lacks '{name}' ({config.Architecture}).");
}
