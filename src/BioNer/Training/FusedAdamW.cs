using System.Runtime.Intrinsics;
using System.Text.Json;
using BioNer.Checkpoints;
using BioNer.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace BioNer.Training;

/// <summary>
/// AdamW over contiguous buffers, as Megatron/apex/DeepSpeed lay it out: every trainable parameter becomes a view into
/// one flat fp32 buffer and its gradient a view into another, assigned once, so autograd accumulates straight into
/// the buffer; the clip norm is one reduction over it, and clipping, weight decay, both moments, the update and the
/// zeroing of the gradient are one pass over memory in C# (SIMD, all threads) instead of TorchSharp's ~9 passes over
/// ~200 tensors with temporaries. Why: on MiniLM the optimizer was 35–40% of a length-grouped training step
/// (benchmarks/RESULTS.md, "Training throughput").
/// <para>
/// It computes what TorchSharp's <c>AdamW</c> after <c>clip_grad_norm_</c> computes (PyTorch's AdamW, decoupled weight
/// decay, bias-corrected moments), element by element in the same order of operations in fp32, so parameters agree to
/// rounding (tests: 50 steps against that path to 1e-6 relative). HF Trainer's two groups are two ranges of the buffers:
/// weights with <see cref="TrainingOptions.WeightDecay"/> first, then biases and LayerNorm weights with none.
/// </para>
/// <para>
/// Shapes: the buffers are (N,) fp32, N = the number of trainable parameters (MiniLM 22.6 M, roberta-base 124.6 M);
/// each parameter keeps its own shape as a view. Do not set a parameter's <c>grad</c> to null or replace its data
/// after construction: the optimizer would no longer see it. State: two (N,) moments and the step count, saved by
/// <see cref="SaveState"/> as <c>optimizer.safetensors</c> + <c>optimizer.json</c>.
/// </para>
/// </summary>
public sealed class FusedAdamW : IDisposable
{
    /// <summary>One parameter's place in the buffers: its HF name, shape, start offset and group index.</summary>
    public sealed record Slot(string Name, long[] Shape, long Offset, int Group);

    /// <summary>A contiguous range of the buffers sharing one weight decay and one multiple of the scheduled learning
    /// rate (1 for the encoder and classifier; a CRF head's transitions learn at their own rate).</summary>
    public sealed record ParamGroup(long Start, long Length, double WeightDecay, double LearningRateScale = 1);

    /// <summary>File of the two moments inside a checkpoint folder.</summary>
    public const string StateFile = "optimizer.safetensors";

    /// <summary>File of the step count and the parameter layout inside a checkpoint folder.</summary>
    public const string LayoutFile = "optimizer.json";

    private const string Format = "bioner-fused-adamw/1";
    private const long Chunk = 1 << 15;        // elements per parallel work item: 128 KiB of each stream

    private readonly Tensor _params, _grads, _expAvg, _expAvgSq;     // (N,) fp32 each
    private readonly double _beta1, _beta2, _eps;

    /// <summary>Every trainable parameter, in buffer order.</summary>
    public IReadOnlyList<Slot> Slots { get; }

    /// <summary>The groups, in buffer order: index 0 decays, index 1 does not, index 2 (when present) holds the
    /// parameters with their own learning rate, without decay.</summary>
    public IReadOnlyList<ParamGroup> Groups { get; }

    /// <summary>Optimizer steps taken (drives the bias correction); restored by <see cref="LoadState"/>.</summary>
    public long StepCount { get; private set; }

    /// <summary>Number of parameters in the buffers (N).</summary>
    public long Count { get; }

    /// <summary>
    /// Moves <paramref name="named"/>'s trainable parameters into the buffers (values kept) and gives each a gradient
    /// view. <paramref name="noDecay"/> picks, by HF name, the parameters of the weight-decay-free group;
    /// <paramref name="ownRate"/> those of a third group (no decay) stepped at <paramref name="ownRateScale"/> × the
    /// learning rate, so a schedule scales it too, as a torch param group with its own <c>lr</c> under <c>LambdaLR</c>.
    /// </summary>
    public FusedAdamW(IEnumerable<(string name, TorchSharp.Modules.Parameter parameter)> named, Func<string, bool> noDecay,
        double weightDecay, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        Func<string, bool>? ownRate = null, double ownRateScale = 1)
    {
        ownRate ??= _ => false;
        ArgumentNullException.ThrowIfNull(named);
        ArgumentNullException.ThrowIfNull(noDecay);
        _beta1 = beta1;
        _beta2 = beta2;
        _eps = eps;
        var trainable = named.Where(p => p.parameter.requires_grad).ToList();
        int GroupOf(string name) => ownRate(name) ? 2 : noDecay(name) ? 1 : 0;
        var ordered = Enumerable.Range(0, 3)
            .SelectMany(g => trainable.Where(p => GroupOf(p.name) == g).Select(p => (p.name, p.parameter, group: g))).ToList();
        foreach (var (name, p, _) in ordered)
            if (p.dtype != ScalarType.Float32 || p.device_type != DeviceType.CPU)
                throw new BioNerException($"fused AdamW needs fp32 CPU parameters; {name} is {p.dtype} on {p.device}");

        var slots = new List<Slot>(ordered.Count);
        long offset = 0;
        foreach (var (name, p, group) in ordered)
        {
            slots.Add(new Slot(name, p.shape, offset, group));
            offset += p.numel();
        }
        Count = offset;
        Slots = slots;
        long Size(int group) => slots.Where(s => s.Group == group).Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b));
        long decayed = Size(0), plain = Size(1), own = Size(2);
        Groups = own == 0
            ? [new ParamGroup(0, decayed, weightDecay), new ParamGroup(decayed, plain, 0)]
            : [new ParamGroup(0, decayed, weightDecay), new ParamGroup(decayed, plain, 0), new ParamGroup(decayed + plain, own, 0, ownRateScale)];

        _params = empty(Count, ScalarType.Float32);
        _grads = zeros(Count, ScalarType.Float32);
        _expAvg = zeros(Count, ScalarType.Float32);
        _expAvgSq = zeros(Count, ScalarType.Float32);
        using (no_grad())
        {
            for (int i = 0; i < ordered.Count; i++)
            {
                var p = ordered[i].parameter;
                using (var flat = _params.narrow(0, slots[i].Offset, p.numel()))
                using (var view = flat.view(p.shape))
                {
                    view.copy_(p);
                    p.set_(view);
                }
                using var gradFlat = _grads.narrow(0, slots[i].Offset, p.numel());
                using var gradView = gradFlat.view(p.shape);
                p.grad = gradView;
            }
        }
    }

    /// <summary>
    /// One optimizer step at <paramref name="learningRate"/>: clips the gradient's global L2 norm to
    /// <paramref name="maxGradNorm"/> (0 = no clipping; coefficient min(1, max / (norm + 1e-6)) as
    /// <c>clip_grad_norm_</c>), applies AdamW and zeroes the gradients. Returns the norm before clipping.
    /// </summary>
    public double Step(double learningRate, double maxGradNorm)
    {
        IntPtr p = TensorMemory.DataPointer(_params, ScalarType.Float32), g = TensorMemory.DataPointer(_grads, ScalarType.Float32),
            m = TensorMemory.DataPointer(_expAvg, ScalarType.Float32), v = TensorMemory.DataPointer(_expAvgSq, ScalarType.Float32);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, torch.get_num_threads()) };
        double norm = GradientNorm(g, parallel);
        float coef = maxGradNorm > 0 ? (float)Math.Min(1.0, maxGradNorm / (norm + 1e-6)) : 1f;
        StepCount++;
        double bc1 = 1 - Math.Pow(_beta1, StepCount), bc2 = 1 - Math.Pow(_beta2, StepCount);
        foreach (var group in Groups)
        {
            if (group.Length == 0) continue;
            double lr = learningRate * group.LearningRateScale;
            var s = new Scalars(coef, (float)(1 - lr * group.WeightDecay), (float)_beta1, (float)(1 - _beta1), (float)_beta2,
                (float)(1 - _beta2), (float)Math.Sqrt(bc2), (float)_eps, (float)(-(lr / bc1)));
            long chunks = (group.Length + Chunk - 1) / Chunk;
            Parallel.For(0L, chunks, parallel, c =>
            {
                long start = group.Start + c * Chunk, len = Math.Min(Chunk, group.Start + group.Length - start);
                Update(p, g, m, v, start, len, s);
            });
        }
        return norm;
    }

    /// <summary>
    /// The L2 norm of the whole gradient buffer, squares summed in fp64 per chunk and the chunks added in order, so the
    /// value is the same for any thread count. Why not libtorch's <c>vector_norm</c> over the buffer: its fp32
    /// accumulation over 22.6 M values was off by 7.6e-4 relative on MiniLM (2.02558 against 2.02711 in fp64), enough to
    /// move the clipped step; <c>clip_grad_norm_</c>'s norm of per-parameter norms was off by 4e-6.
    /// </summary>
    private double GradientNorm(IntPtr g, ParallelOptions parallel)
    {
        long chunks = (Count + Chunk - 1) / Chunk;
        var partial = new double[chunks];
        Parallel.For(0L, chunks, parallel, c =>
        {
            long start = c * Chunk;
            partial[c] = SumOfSquares(g, start, Math.Min(Chunk, Count - start));
        });
        double total = 0;
        foreach (double x in partial) total += x;
        return Math.Sqrt(total);
    }

    private static unsafe double SumOfSquares(IntPtr gp, long start, long len)
    {
        float* g = (float*)gp + start;
        long i = 0;
        double sum = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var acc = Vector256<double>.Zero;
            for (; i + 8 <= len; i += 8)
            {
                var x = Vector256.Load(g + i);
                var lo = Vector256.WidenLower(x);
                var hi = Vector256.WidenUpper(x);
                acc += lo * lo + hi * hi;
            }
            sum = Vector256.Sum(acc);
        }
        for (; i < len; i++) sum += (double)g[i] * g[i];
        return sum;
    }

    private readonly record struct Scalars(float Coef, float Decay, float Beta1, float OneMinusBeta1, float Beta2,
        float OneMinusBeta2, float SqrtBc2, float Eps, float NegStepSize);

    // TorchSharp's ops per element, with ATen's CPU kernels' roundings: g *= coef; p *= decay; m = fma(g, 1−β1, m·β1)
    // (add_ with alpha is a fused multiply-add); v = v·β2 + (1−β2)·g·g (addcmul_); d = √v · (1/√bc2) + ε (a division by
    // a scalar is a multiplication by its fp32 reciprocal); p += (−step·m) / d (addcdiv_); then g = 0 for the next step.
    private static unsafe void Update(IntPtr pp, IntPtr gp, IntPtr mp, IntPtr vp, long start, long len, Scalars s)
    {
        float* p = (float*)pp + start, g = (float*)gp + start, m = (float*)mp + start, v = (float*)vp + start;
        float invSqrtBc2 = 1f / s.SqrtBc2;
        long i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var coef = Vector256.Create(s.Coef); var decay = Vector256.Create(s.Decay);
            var b1 = Vector256.Create(s.Beta1); var c1 = Vector256.Create(s.OneMinusBeta1);
            var b2 = Vector256.Create(s.Beta2); var c2 = Vector256.Create(s.OneMinusBeta2);
            var inv = Vector256.Create(invSqrtBc2); var eps = Vector256.Create(s.Eps); var step = Vector256.Create(s.NegStepSize);
            for (; i + 8 <= len; i += 8)
            {
                var gi = Vector256.Load(g + i) * coef;
                var mi = Vector256.FusedMultiplyAdd(gi, c1, Vector256.Load(m + i) * b1);
                var vi = Vector256.Load(v + i) * b2 + c2 * gi * gi;
                var pi = Vector256.Load(p + i) * decay + step * mi / (Vector256.Sqrt(vi) * inv + eps);
                mi.Store(m + i);
                vi.Store(v + i);
                pi.Store(p + i);
                Vector256<float>.Zero.Store(g + i);
            }
        }
        for (; i < len; i++)
        {
            float gi = g[i] * s.Coef;
            float mi = MathF.FusedMultiplyAdd(gi, s.OneMinusBeta1, m[i] * s.Beta1);
            float vi = v[i] * s.Beta2 + s.OneMinusBeta2 * gi * gi;
            p[i] = p[i] * s.Decay + s.NegStepSize * mi / (MathF.Sqrt(vi) * invSqrtBc2 + s.Eps);
            m[i] = mi;
            v[i] = vi;
            g[i] = 0;
        }
    }

    /// <summary>Writes the moments and the step count into <paramref name="dir"/> (a checkpoint folder being written).</summary>
    public void SaveState(string dir)
    {
        SafetensorsWriter.Write(Path.Combine(dir, StateFile), [new("exp_avg", _expAvg), new("exp_avg_sq", _expAvgSq)]);
        var layout = new LayoutJson(Format, StepCount, _beta1, _beta2, _eps, Groups.Select(g => g.WeightDecay).ToArray(),
            Slots.Select(s => new SlotJson(s.Name, s.Shape, s.Group)).ToArray());
        File.WriteAllText(Path.Combine(dir, LayoutFile), JsonSerializer.Serialize(layout, TrainingOptions.Json));
    }

    /// <summary>
    /// Restores what <see cref="SaveState"/> wrote. Refuses, naming the file, a state made for another parameter layout
    /// (other model, labels or grouping) or by a BioNer before the fused optimizer (<c>optimizer.bin</c>).
    /// </summary>
    public void LoadState(string dir)
    {
        string layoutPath = Path.Combine(dir, LayoutFile), statePath = Path.Combine(dir, StateFile);
        if (!File.Exists(layoutPath))
        {
            if (File.Exists(Path.Combine(dir, "optimizer.bin")))
                throw new BioNerException("this checkpoint's optimizer state (optimizer.bin) was written by a BioNer before the fused " +
                    "optimizer and cannot be resumed by this version; start the run again or resume it with the version that made it", dir);
            throw new BioNerException($"checkpoint has no optimizer state ({LayoutFile} missing)", dir);
        }
        LayoutJson layout;
        try
        {
            layout = JsonSerializer.Deserialize<LayoutJson>(File.ReadAllText(layoutPath), TrainingOptions.Json)
                ?? throw new BioNerException("empty optimizer layout", layoutPath);
        }
        catch (JsonException e)
        {
            throw new BioNerException($"corrupt optimizer layout: {e.Message}", layoutPath);
        }
        if (layout.Format != Format) throw new BioNerException($"unknown optimizer state format '{layout.Format}' (expected {Format})", layoutPath);
        var mine = Slots.Select(s => $"{s.Name}{ShapeText(s.Shape)}:{s.Group}").ToList();
        var theirs = layout.Slots.Select(s => $"{s.Name}{ShapeText(s.Shape)}:{s.Group}").ToList();
        int diff = Enumerable.Range(0, Math.Max(mine.Count, theirs.Count))
            .FirstOrDefault(i => i >= mine.Count || i >= theirs.Count || mine[i] != theirs[i], -1);
        if (diff >= 0)
            throw new BioNerException($"optimizer state was made for another parameter layout: parameter {diff} is " +
                $"{(diff < theirs.Count ? theirs[diff] : "absent")} there and {(diff < mine.Count ? mine[diff] : "absent")} here", layoutPath);
        var stored = WeightFile.Read(statePath);
        try
        {
            foreach (var (name, target) in new[] { ("exp_avg", _expAvg), ("exp_avg_sq", _expAvgSq) })
            {
                if (!stored.TryGetValue(name, out var t) || t.numel() != Count || t.dtype != ScalarType.Float32)
                    throw new BioNerException($"optimizer state lacks an fp32 '{name}' of {Count} values", statePath);
                using (no_grad()) target.copy_(t.view(Count));
            }
        }
        finally
        {
            foreach (var t in stored.Values) t.Dispose();
        }
        StepCount = layout.Step;
    }

    private static string ShapeText(long[] shape) => $"[{string.Join(',', shape)}]";

    private sealed record SlotJson(string Name, long[] Shape, int Group);

    private sealed record LayoutJson(string Format, long Step, double Beta1, double Beta2, double Eps,
        double[] WeightDecay, SlotJson[] Slots);

    /// <summary>Frees the buffers' handles; the parameters keep their storage as views.</summary>
    public void Dispose()
    {
        _params.Dispose();
        _grads.Dispose();
        _expAvg.Dispose();
        _expAvgSq.Dispose();
    }
}
