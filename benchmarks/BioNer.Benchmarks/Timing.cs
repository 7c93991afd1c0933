using System.Diagnostics;

namespace BioNer.Benchmarks;

/// <summary>Warm-up runs, then the median (and min/max) wall time of N timed runs.</summary>
public static class Timing
{
    /// <summary>Wall-clock median/min/max and the median CPU time of the process (robust on a shared, loaded machine).</summary>
    public static (double MedianMs, double MinMs, double MaxMs, double CpuMedianMs) Measure(Action action, int warmup, int runs)
    {
        for (int i = 0; i < warmup; i++) action();
        var times = new double[runs];
        var cpu = new double[runs];
        var process = Process.GetCurrentProcess();
        for (int i = 0; i < runs; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            action();
            times[i] = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            cpu[i] = (process.TotalProcessorTime - cpuStart).TotalMilliseconds;
        }
        Array.Sort(times);
        Array.Sort(cpu);
        return (times[runs / 2], times[0], times[^1], cpu[runs / 2]);
    }

    public static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }
}
