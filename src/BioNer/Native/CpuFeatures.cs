namespace BioNer.Native;

/// <summary>
/// What this CPU offers for the number formats BioNer can compute in, read once from <c>/proc/cpuinfo</c>. Why: the
/// machines BioNer runs on differ (an AMD EPYC with AVX512_BF16, an Intel Xeon with AMX, one with neither), and bf16
/// is worth using only where the hardware has bf16 dot products; elsewhere libtorch emulates it and it is slower than
/// fp32. Benchmarks print <see cref="Describe"/> so that every figure names the machine it came from.
/// </summary>
public static class CpuFeatures
{
    private static readonly Lazy<(string Model, HashSet<string> Flags)> Info = new(Read);

    /// <summary>The CPU's model name ("unknown" off Linux).</summary>
    public static string Model => Info.Value.Model;

    /// <summary>Whether the CPU has bf16 matrix hardware: AMX tiles (<c>amx_bf16</c>) or AVX-512 bf16 dot products (<c>avx512_bf16</c>).</summary>
    public static bool HasBf16Hardware => HasAmx || Info.Value.Flags.Contains("avx512_bf16");

    /// <summary>Whether the CPU has Intel AMX bf16 tiles.</summary>
    public static bool HasAmx => Info.Value.Flags.Contains("amx_bf16") && Info.Value.Flags.Contains("amx_tile");

    /// <summary>Whether a flag (as <c>/proc/cpuinfo</c> spells it, e.g. <c>avx512f</c>) is present.</summary>
    public static bool Has(string flag) => Info.Value.Flags.Contains(flag);

    /// <summary>Environment variable that lets <c>--bf16</c> run on a CPU without bf16 hardware (<c>force</c>), e.g. to test it.</summary>
    public const string ForceBf16Variable = "BIONER_BF16";

    /// <summary>
    /// Refuses <paramref name="flag"/> (bf16 compute) with a <see cref="BioNerException"/> on a CPU without bf16
    /// hardware, where libtorch emulates bf16 and it is slower than fp32 (0.30× the fp32 matmul rate on the 2-core
    /// Intel Xeon without AVX512_BF16, benchmarks/RESULTS.md), unless <see cref="ForceBf16Variable"/> is <c>force</c>.
    /// Never silently slow: the message says what the CPU lacks and how to go on.
    /// </summary>
    public static void RequireBf16(string flag) =>
        RequireBf16(flag, HasBf16Hardware, Environment.GetEnvironmentVariable(ForceBf16Variable), Model);

    /// <summary><see cref="RequireBf16(string)"/> for a given CPU and override value (testable on any machine).</summary>
    public static void RequireBf16(string flag, bool hasBf16Hardware, string? force, string model)
    {
        if (hasBf16Hardware || string.Equals(force, "force", StringComparison.OrdinalIgnoreCase)) return;
        throw new BioNerException($"{flag}: this CPU ({model}) has no bf16 hardware (no amx_bf16 or avx512_bf16 in " +
            "/proc/cpuinfo), so libtorch would emulate bf16 at a fraction of the fp32 speed. Run without it (fp32 is faster " +
            $"here), or set {ForceBf16Variable}=force to run bf16 anyway (for testing the numerics)");
    }

    /// <summary>One line for benchmark output: model, core count and the flags that decide fp32/bf16 speed.</summary>
    public static string Describe()
    {
        string[] relevant = ["avx2", "avx512f", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8"];
        var present = relevant.Where(Has).ToList();
        return $"{Model}, {Environment.ProcessorCount} cores; {(present.Count > 0 ? string.Join(' ', present) : "no AVX2")}; " +
               $"bf16 hardware: {(HasBf16Hardware ? HasAmx ? "yes (AMX)" : "yes (AVX512_BF16)" : "no")}";
    }

    private static (string, HashSet<string>) Read()
    {
        try
        {
            string model = "unknown";
            var flags = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':');
                if (colon < 0) continue;
                string key = line[..colon].Trim(), value = line[(colon + 1)..].Trim();
                if (key == "model name" && model == "unknown") model = value;
                else if (key == "flags" && flags.Count == 0) flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
            }
            return (model, flags);
        }
        catch (IOException)
        {
            return ("unknown", []);
        }
        catch (UnauthorizedAccessException)
        {
            return ("unknown", []);
        }
    }
}
