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
/// The 1-minute load average alone is not enough: it also counts work that has just ended, so in a pipeline (a
/// translation, then a training; stage 1, then stage 2) the step that just finished made every next training passive.
/// So a high load average is checked against a 100 ms sample of <c>/proc/stat</c>, less this process's own CPU time:
/// the machine is busy only when other processes are using CPUs now as well. The decision is made once, because GNU
/// OpenMP reads its settings once, when libtorch is loaded, from the native environment; so this runs from
/// <see cref="NativeSetup"/> (module initializer), before any model code, and writes the native environment with
/// <c>setenv</c> (.NET's
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

    /// <summary>
    /// When the load average says busy, the machine still counts as idle unless other processes used at least this
    /// share of its CPUs during the 100 ms sample (0.4, a little under <see cref="BusyLoadShare"/>, because a 100 ms
    /// sample at 100 clock ticks a second is coarse: one process flat out on 2 CPUs reads 0.9–1.1 CPUs).
    /// </summary>
    public const double BusyNowShare = 0.4;

    /// <summary>How long <see cref="Apply"/> samples <c>/proc/stat</c>, only when the load average says busy.</summary>
    public static readonly TimeSpan SampleWindow = TimeSpan.FromMilliseconds(100);

    /// <summary>What <see cref="Apply"/> decided for this process, for logs and benchmark output.</summary>
    public static string Status { get; private set; } = "not applied";

    /// <summary>
    /// The policy to set for a user setting, a load average and the CPUs other processes use now: null to leave
    /// OpenMP's default (spin) or the user's setting alone, else <see cref="Policy"/>. <paramref name="load"/> null
    /// (unreadable) counts as busy: never silently slow. <paramref name="othersBusyNow"/> (in CPUs, from a short sample)
    /// can only clear a high load average, never raise a low one; null (not sampled or unreadable) leaves the load
    /// average to decide alone.
    /// </summary>
    public static string? Decide(string? userWaitPolicy, string? userSpinCount, double? load, double? othersBusyNow, int cores)
    {
        if (userWaitPolicy is not null || userSpinCount is not null) return null;
        int n = Math.Max(1, cores);
        bool busyOnAverage = load is null || load.Value >= BusyLoadShare * n;
        bool idleNow = othersBusyNow is { } now && now < BusyNowShare * n;
        return busyOnAverage && !idleNow ? Policy : null;
    }

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
            bool sample = Decide(policy, spin, load, null, cores) is not null;   // only a busy load average needs the sample
            double? now = sample ? OthersBusyNow(SampleWindow) : null;
            string where = (load is null ? "load average unreadable" : $"load {F(load.Value)} on {cores} CPUs")
                + (now is null ? "" : $", other processes using {F(now.Value)} CPUs now");
            bool set = Decide(policy, spin, load, now, cores) is { } chosen && SetEnv("OMP_WAIT_POLICY", chosen, 0) == 0;
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

    private static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>
    /// CPUs that processes other than this one used, on average, over <paramref name="window"/>: the busy clock ticks
    /// of <c>/proc/stat</c> (user, nice, system, irq, softirq and steal — a hypervisor's stolen time is as unavailable
    /// as a neighbour's) less this process's own (<c>/proc/self/stat</c> utime + stime), as a share of all ticks,
    /// times the CPU count. Null when either file cannot be read (not Linux).
    /// </summary>
    public static double? OthersBusyNow(TimeSpan window)
    {
        try
        {
            (long busy0, long total0) = SystemTicks();
            long self0 = SelfTicks();
            Thread.Sleep(window);
            (long busy1, long total1) = SystemTicks();
            long self1 = SelfTicks();
            long total = total1 - total0;
            if (total <= 0) return null;
            double others = Math.Max(0, busy1 - busy0 - (self1 - self0));
            return others / total * Environment.ProcessorCount;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    // /proc/stat's first line: cpu user nice system idle iowait irq softirq steal [guest guest_nice, already in user].
    private static (long Busy, long Total) SystemTicks()
    {
        string[] f = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long T(int i) => long.Parse(f[i], CultureInfo.InvariantCulture);
        long busy = T(1) + T(2) + T(3) + T(6) + T(7) + T(8);
        return (busy, busy + T(4) + T(5));
    }

    // /proc/self/stat: utime and stime are fields 14 and 15, counted after the ")" that ends the command name.
    private static long SelfTicks()
    {
        string s = File.ReadAllText("/proc/self/stat");
        string[] f = s[(s.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
    }

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
