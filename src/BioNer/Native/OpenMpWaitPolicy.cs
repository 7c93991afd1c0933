using System.Globalization;
using System.Runtime.InteropServices;

namespace BioNer.Native;

/// <summary>
/// Chooses how libtorch's OpenMP worker threads wait at the end of every parallel operator: spin (GNU OpenMP's own
/// default, about 300,000 iterations before sleeping, what PyTorch users get) on a machine that is idle when the process
/// starts, sleep at once (<c>OMP_WAIT_POLICY=PASSIVE</c>) on one that is busy. Why both: a training step runs hundreds
/// of small parallel operators. On a machine whose cores are shared with other processes (CI runners, a laptop, several
/// trainings at once) the thread a barrier waits for is often descheduled, so its partner burns its whole time slice
/// spinning: on a loaded 2-core machine MiniLM training with 2 threads was 4–6× slower spinning than passive. On an idle
/// machine the reverse holds, less dramatically: passive pays a futex sleep and wake per operator, and the same training
/// step was 1.3–1.4× faster spinning (benchmarks/RESULTS.md, "Training throughput" and "Fused optimizer and bf16").
/// The load is read once, from the 1-minute load average, because GNU OpenMP reads its settings once, when libtorch
/// is loaded, from the native environment; so this runs from <see cref="NativeSetup"/> (module initializer), before any
/// model code, and writes the native environment with <c>setenv</c> (.NET's
/// <see cref="Environment.SetEnvironmentVariable(string, string)"/> does not reach it on Unix). A user's own
/// <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c> always wins (<c>OMP_WAIT_POLICY=PASSIVE</c> for a machine that
/// becomes busy later, <c>ACTIVE</c> to spin regardless).
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The <c>OMP_WAIT_POLICY</c> set on a busy machine: waiting threads sleep at once.</summary>
    public const string Policy = "PASSIVE";

    /// <summary>
    /// A machine counts as busy when its 1-minute load average, before this process does anything, is at least this
    /// share of its logical CPUs (0.5: on 2 cores, one other process running flat out).
    /// </summary>
    public const double BusyLoadShare = 0.5;

    /// <summary>What <see cref="Apply"/> decided for this process, for logs and benchmark output.</summary>
    public static string Status { get; private set; } = "not applied";

    /// <summary>
    /// The policy to set for a user setting and a load: null to leave OpenMP's default (spin) or the user's setting
    /// alone, else <see cref="Policy"/>. <paramref name="load"/> null (unreadable) counts as busy: never silently slow.
    /// </summary>
    public static string? Decide(string? userWaitPolicy, string? userSpinCount, double? load, int cores) =>
        userWaitPolicy is not null || userSpinCount is not null ? null
        : load is null || load.Value >= BusyLoadShare * Math.Max(1, cores) ? Policy
        : null;

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY</c> to <see cref="Policy"/> in the native environment when <see cref="Decide"/> says
    /// so; returns whether it did. Effective only before libtorch is loaded (the first <c>torch</c> call of the
    /// process); idempotent: later calls repeat the first decision. Runs automatically when the BioNer assembly loads;
    /// call it first thing from a program that touches TorchSharp before any BioNer type.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        lock (Gate)
        {
            if (_decided is { } done) return done;
            string? policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY"), spin = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
            double? load = ReadLoad();
            int cores = Environment.ProcessorCount;
            string where = load is null ? "load average unreadable" : $"load {load.Value.ToString("0.00", CultureInfo.InvariantCulture)} on {cores} CPUs";
            bool set = Decide(policy, spin, load, cores) is { } chosen && SetEnv("OMP_WAIT_POLICY", chosen, 0) == 0;
            Status = policy is not null ? $"OMP_WAIT_POLICY {policy} (the user's)"
                : spin is not null ? $"GOMP_SPINCOUNT {spin} (the user's)"
                : set ? $"OMP_WAIT_POLICY {Policy} (busy at start: {where})"
                : $"OpenMP spins (idle at start: {where}; OMP_WAIT_POLICY=PASSIVE if it gets busy)";
            _decided = set;
            return set;
        }
    }

    private static readonly object Gate = new();
    private static bool? _decided;

    private static double? ReadLoad()
    {
        try
        {
            string first = File.ReadAllText("/proc/loadavg").Split(' ', 2)[0];
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name,
                                     [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
