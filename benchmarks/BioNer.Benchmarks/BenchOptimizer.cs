using System.Diagnostics;
using BioNer.Modeling;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Benchmarks;

/// <summary>
/// The optimizer step of a benchmark row: <c>fused</c> is the trainer's (<see cref="FusedAdamW"/> through
/// <see cref="TrainingSteps.ApplyGradients"/>), <c>torchsharp</c> the path before it (<see cref="TorchSharpAdamW"/>), so
/// one run measures both on the same batches.
/// </summary>
internal sealed class BenchOptimizer : IDisposable
{
    private readonly TokenClassifier _model;
    private readonly FusedAdamW? _fused;
    private readonly TorchSharp.Modules.AdamW? _torchSharp;

    public string Name { get; }

    private BenchOptimizer(string name, TokenClassifier model, FusedAdamW? fused, TorchSharp.Modules.AdamW? torchSharp)
    {
        Name = name;
        _model = model;
        _fused = fused;
        _torchSharp = torchSharp;
    }

    /// <summary><c>fused</c>, <c>torchsharp</c>, or <c>fused-bf16</c> (the fused optimizer with the model's matmuls in bf16,
    /// <see cref="TokenClassifier.ComputeInBf16"/>: what <c>bioner train --bf16</c> runs).</summary>
    public static BenchOptimizer Create(string name, TokenClassifier model)
    {
        model.ComputeInBf16 = name == "fused-bf16";
        return name switch
        {
            "fused" or "fused-bf16" => new BenchOptimizer(name, model, TrainingSteps.CreateOptimizer(model, new TrainingOptions()), null),
            "torchsharp" => new BenchOptimizer(name, model, null, TorchSharpAdamW.Create(model, new TrainingOptions())),
            _ => throw new ArgumentException($"unknown optimizer '{name}' (fused, torchsharp, fused-bf16)"),
        };
    }

    /// <summary>Clip to <paramref name="maxGradNorm"/>, AdamW at <paramref name="learningRate"/>, zero the gradients.</summary>
    public void Apply(double maxGradNorm, double learningRate)
    {
        if (_fused is not null) TrainingSteps.ApplyGradients(_fused, maxGradNorm, learningRate);
        else TorchSharpAdamW.Apply(_model, _torchSharp!, maxGradNorm, learningRate);
    }

    /// <summary>The same step, timed by part (milliseconds).</summary>
    public IEnumerable<(string Part, double Ms)> TimedApply(double maxGradNorm, double learningRate)
    {
        var watch = Stopwatch.StartNew();
        if (_fused is not null)
        {
            TrainingSteps.ApplyGradients(_fused, maxGradNorm, learningRate);
            return [("norm + fused update + zero", watch.Elapsed.TotalMilliseconds)];
        }
        var parts = new List<(string, double)>();
        foreach (var g in _torchSharp!.ParamGroups) g.LearningRate = learningRate;
        using (torch.NewDisposeScope())
        {
            torch.nn.utils.clip_grad_norm_(_model.parameters(), maxGradNorm, 2.0);
            parts.Add(("clip_grad_norm_", watch.Elapsed.TotalMilliseconds));
            watch.Restart();
            _torchSharp.step();
            parts.Add(("AdamW.step", watch.Elapsed.TotalMilliseconds));
            watch.Restart();
            _torchSharp.zero_grad();
            parts.Add(("zero_grad", watch.Elapsed.TotalMilliseconds));
        }
        return parts;
    }

    public void Dispose()
    {
        _fused?.Dispose();
        _torchSharp?.Dispose();
    }
}
