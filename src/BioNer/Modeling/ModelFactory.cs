using BioNer.Modeling.Bert;
using BioNer.Modeling.Roberta;
using BioNer.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BioNer.Modeling;

/// <summary>
/// Builds the right <see cref="TokenClassifier"/> for a config and initialises weights exactly as HF
/// <c>_init_weights</c> does for BERT/RoBERTa, so a model trained from a fresh head (or from scratch) starts from the
/// same distribution as in Python: Linear and Embedding weights ~ N(0, initializer_range), biases 0, padding rows 0,
/// LayerNorm weight 1 and bias 0. Seeded with a private generator, so the global torch RNG is not consumed.
/// </summary>
public static class ModelFactory
{
    /// <summary>
    /// A freshly initialised model for <paramref name="config"/>; the same seed gives bit-identical weights.
    /// The module is in train mode, like any new module; call <c>eval()</c> before inference.
    /// </summary>
    /// <exception cref="BioNerException">The config breaks an invariant.</exception>
    public static TokenClassifier Create(ModelConfig config, long seed)
    {
        var model = Build(config);
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        InitializeWeights(model, config, generator);
        return model;
    }

    /// <summary>
    /// The model class for the config's family, with TorchSharp's default (not HF) initialisation. The first TorchSharp
    /// call of most runs happens here, so a bridge that cannot load on this system is reported here, clearly.
    /// </summary>
    /// <exception cref="BioNerException">libtorch's bridge needs a newer libstdc++ (see <see cref="LibTorchBridge"/>).</exception>
    internal static TokenClassifier Build(ModelConfig config)
    {
        try
        {
            return config.IsRobertaFamily ? new RobertaForTokenClassification(config) : new BertForTokenClassification(config);
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException
                                  && LibTorchBridge.DescribeLoadFailure(e) is { } why)
        {
            throw new BioNerException(why, inner: e);
        }
    }

    /// <summary>HF <c>_init_weights</c> applied to every submodule of <paramref name="model"/>, in registration order.</summary>
    internal static void InitializeWeights(nn.Module model, ModelConfig config, Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    InitializeLinear(linear, config.InitializerRange, generator);
                    break;
                case Embedding embedding:
                    embedding.weight!.normal_(0, config.InitializerRange, generator);
                    if (HasPaddingRow(name, config))
                    {
                        using var row = embedding.weight[config.PadTokenId];
                        row.zero_();
                    }
                    break;
                case LayerNorm norm:
                    norm.weight!.fill_(1.0);
                    norm.bias!.zero_();
                    break;
            }
        }
    }

    /// <summary>A Linear layer as HF initialises it: weight ~ N(0, <paramref name="std"/>), bias 0.</summary>
    internal static void InitializeLinear(Linear linear, double std, Generator generator)
    {
        using var noGrad = no_grad();
        linear.weight!.normal_(0, std, generator);
        linear.bias?.zero_();
    }

    // Which embeddings were built with padding_idx (HF zeroes that row): words always, positions only for RoBERTa.
    private static bool HasPaddingRow(string name, ModelConfig config) =>
        name.EndsWith("word_embeddings", StringComparison.Ordinal)
        || (config.IsRobertaFamily && name.EndsWith("position_embeddings", StringComparison.Ordinal));
}
