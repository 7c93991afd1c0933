using System.Diagnostics;
using System.Globalization;

namespace BioNer.Benchmarks;

/// <summary>Warm-up runs, then the median (and min/max) wall time of N timed runs; option parsing shared by the verbs.</summary>
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

    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The number after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static double DoubleOption(string[] args, string name, double fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The text after <paramref name="name"/>, or <paramref name="fallback"/> when absent.</summary>
    public static string? StringOption(string[] args, string name, string? fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    /// <summary>True when the flag is present (e.g. <c>--quick</c>).</summary>
    public static bool Flag(string[] args, string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>The first line of <c>/proc/loadavg</c> (1, 5, 15-minute load averages), or "n/a" off Linux.</summary>
    public static string LoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{parts[0]} {parts[1]} {parts[2]}";
        }
        catch (IOException)
        {
            return "n/a";
        }
        catch (UnauthorizedAccessException)
        {
            return "n/a";
        }
    }

    /// <summary>Median of a non-empty list.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
