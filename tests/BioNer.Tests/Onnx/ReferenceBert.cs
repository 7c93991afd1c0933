using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace BioNer.Tests.Onnx;

/// <summary>
/// A compact functional BERT encoder over a HuggingFace state dict (names <c>bert.embeddings...</c>,
/// <c>bert.encoder.layer.N...</c>), written with plain torch ops as an independent reference for weight-import tests.
/// </summary>
internal static class ReferenceBert
{
    /// <summary>Last hidden state (B, T, H) for ids/mask/types (B, T) int64.</summary>
    public static Tensor Forward(IReadOnlyDictionary<string, Tensor> sd, Tensor ids, Tensor mask, Tensor types,
                                 int layers, int heads, double eps = 1e-12)
    {
        Tensor P(string name) => sd["bert." + name];
        long b = ids.shape[0], t = ids.shape[1];
        var positions = arange(t, dtype: int64).unsqueeze(0).expand(b, t);
        Tensor Embed(Tensor index, string table) => P(table).index_select(0, index.reshape(-1)).view(b, t, -1);
        var x = Embed(ids, "embeddings.word_embeddings.weight")
              + Embed(types, "embeddings.token_type_embeddings.weight")
              + Embed(positions, "embeddings.position_embeddings.weight");                   // (B, T, H)
        long h = x.shape[2], d = h / heads;
        x = F.layer_norm(x, [h], P("embeddings.LayerNorm.weight"), P("embeddings.LayerNorm.bias"), eps);
        var additive = (1 - mask.to(float32)).view(b, 1, 1, t) * -10000f;                 // (B, 1, 1, T)
        for (int l = 0; l < layers; l++)
        {
            string p = $"encoder.layer.{l}.";
            Tensor Linear(Tensor input, string module) => F.linear(input, P(p + module + ".weight"), P(p + module + ".bias"));
            Tensor Heads(Tensor y) => y.view(b, t, heads, d).transpose(1, 2);               // (B, nh, T, d)
            var q = Heads(Linear(x, "attention.self.query"));
            var k = Heads(Linear(x, "attention.self.key"));
            var v = Heads(Linear(x, "attention.self.value"));
            var scores = q.matmul(k.transpose(-1, -2)) / Math.Sqrt(d) + additive;            // (B, nh, T, T)
            var ctx = F.softmax(scores, -1).matmul(v).transpose(1, 2).reshape(b, t, h);      // (B, T, H)
            var a = F.layer_norm(Linear(ctx, "attention.output.dense") + x, [h],
                P(p + "attention.output.LayerNorm.weight"), P(p + "attention.output.LayerNorm.bias"), eps);
            var inter = F.gelu(Linear(a, "intermediate.dense"));                              // (B, T, I), exact erf gelu
            x = F.layer_norm(Linear(inter, "output.dense") + a, [h],
                P(p + "output.LayerNorm.weight"), P(p + "output.LayerNorm.bias"), eps);
        }
        return x;
    }
}
