using System.Collections;
using System.Globalization;

namespace BioNer.Batch;

/// <summary>
/// Which share of a batch run this process does: <see cref="Index"/> of <see cref="Count"/>, 0-based, as a Slurm
/// array's <c>--array=0-(N-1)</c> numbers its tasks. Every process of a run plans the same work units from the same
/// inputs and takes the ones whose position modulo <see cref="Count"/> is its index, so no unit is done twice or missed.
/// </summary>
/// <param name="Index">This process's shard, 0 ≤ Index &lt; Count.</param>
/// <param name="Count">Number of shards in the run.</param>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole run in one process.</summary>
    public static Shard All => new(0, 1);

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>
    /// Parses <c>K/N</c> (K from 0 to N-1) or <c>auto</c>: from Slurm's array variables, <c>SLURM_ARRAY_TASK_ID</c> minus
    /// <c>SLURM_ARRAY_TASK_MIN</c> of <c>SLURM_ARRAY_TASK_COUNT</c> (or <c>MAX - MIN + 1</c>); outside an array job,
    /// <c>auto</c> is the whole run.
    /// </summary>
    public static Shard Parse(string spec, IDictionary? environment = null)
    {
        spec = spec.Trim();
        if (spec.Equals("auto", StringComparison.OrdinalIgnoreCase)) return FromSlurm(environment ?? Environment.GetEnvironmentVariables());
        var parts = spec.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new BioNerException($"--shard: expected K/N (K from 0 to N-1) or auto, got '{spec}'");
        if (n < 1 || k >= n) throw new BioNerException($"--shard {spec}: K must be in 0..{Math.Max(0, n - 1)} and N at least 1");
        return new Shard(k, n);
    }

    private static Shard FromSlurm(IDictionary env)
    {
        int? Get(string name) => env[name] is string s && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : null;
        if (Get("SLURM_ARRAY_TASK_ID") is not { } id) return All;
        int min = Get("SLURM_ARRAY_TASK_MIN") ?? 0;
        int count = Get("SLURM_ARRAY_TASK_COUNT") ?? (Get("SLURM_ARRAY_TASK_MAX") is { } max ? max - min + 1 : 0);
        if (count < 1) throw new BioNerException("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX is");
        // A stepped or sparse array (--array=0-9:2, 1,5,7) has ids that are not MIN..MIN+COUNT-1: refuse rather than skip work.
        if (Get("SLURM_ARRAY_TASK_STEP") is { } step && step != 1)
            throw new BioNerException($"--shard auto: the array has step {step}; submit a contiguous array (--array=0-{count - 1}) or pass --shard K/N");
        int index = id - min;
        if (index < 0 || index >= count)
            throw new BioNerException($"--shard auto: task id {id} is outside {min}..{min + count - 1}; submit a contiguous array or pass --shard K/N");
        return new Shard(index, count);
    }
}
