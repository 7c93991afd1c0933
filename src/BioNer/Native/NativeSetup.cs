using System.Runtime.CompilerServices;

namespace BioNer.Native;

/// <summary>
/// The one place that prepares the native side of the process when the BioNer assembly loads, before any BioNer code
/// can reach libtorch: <see cref="OpenMpWaitPolicy"/> (read by OpenMP when libtorch loads), <see cref="MklCpuDispatch"/>
/// (must be in the global symbol scope before libtorch loads) and <see cref="MallocTuning"/> (affects later allocations).
/// Each step checks its own conditions and the user's opt-outs, and is idempotent.
/// </summary>
public static class NativeSetup
{
    /// <summary>Runs the three steps (again a no-op after the module initializer) and says what each did.</summary>
    public static string Apply()
    {
        OpenMpWaitPolicy.Apply();
        MklCpuDispatch.Apply();
        MallocTuning.Apply();
        return $"MKL AVX-512 dispatch on AMD {MklCpuDispatch.Status}; malloc tuning {MallocTuning.Status}; {OpenMpWaitPolicy.Status}";
    }

    /// <summary>
    /// One line for a training log: the number format of the matmuls, libtorch's thread count and how its OpenMP threads
    /// wait (<see cref="OpenMpWaitPolicy.Status"/>), which together decide the speed a run gets on this machine.
    /// </summary>
    public static string ComputeLine(bool bf16) =>
        $"compute: {(bf16 ? "bf16 matmuls, fp32 master weights" : "fp32")}, {TorchSharp.torch.get_num_threads()} torch threads on " +
        $"{CpuFeatures.Model}; {OpenMpWaitPolicy.Status}";

#pragma warning disable CA2255 // Deliberate: must run before libtorch loads, which can be before any BioNer call site.
    [ModuleInitializer]
    internal static void OnLoad() => Apply();
#pragma warning restore CA2255
}
