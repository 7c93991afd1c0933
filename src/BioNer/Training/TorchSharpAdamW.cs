using BioNer.Modeling;
using TorchSharp;

namespace BioNer.Training;

/// <summary>
/// The optimizer path BioNer trained with before <see cref="FusedAdamW"/>: TorchSharp's <c>AdamW</c> in HF Trainer's
/// two groups, after libtorch's <c>clip_grad_norm_</c>, then <c>zero_grad</c>. Kept only as the oracle the fused
/// optimizer is tested against and the "before" row of the training benchmark; not a user option.
/// </summary>
internal static class TorchSharpAdamW
{
    /// <summary>TorchSharp's AdamW over <paramref name="model"/>'s parameters, grouped by <see cref="TrainingSteps.NoWeightDecay"/>.</summary>
    public static TorchSharp.Modules.AdamW Create(TokenClassifier model, TrainingOptions options)
    {
        var named = model.named_parameters().ToList();
        var groups = new List<TorchSharp.Modules.AdamW.ParamGroup>
        {
            new(named.Where(p => !TrainingSteps.NoWeightDecay(p.name)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { weight_decay = options.WeightDecay }),
            new(named.Where(p => TrainingSteps.NoWeightDecay(p.name)).Select(p => p.parameter), new TorchSharp.Modules.AdamW.Options { weight_decay = 0 }),
        };
        return torch.optim.AdamW(groups, options.LearningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay);
    }

    /// <summary>Clip (0 = none), set the learning rate on every group, step, zero the gradients.</summary>
    public static void Apply(TokenClassifier model, TorchSharp.Modules.AdamW optimizer, double maxGradNorm, double learningRate)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = learningRate;
        using (torch.NewDisposeScope())
        {
            if (maxGradNorm > 0) torch.nn.utils.clip_grad_norm_(model.parameters(), maxGradNorm, 2.0);
            optimizer.step();
            optimizer.zero_grad();
        }
    }
}
