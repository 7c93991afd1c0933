using System.Runtime.InteropServices;

namespace BioNer.Native;

/// <summary>
/// Makes libtorch's OpenMP worker threads sleep, not busy-wait, at the end of every parallel operator.
/// Why: libtorch's bundled GNU OpenMP spins a waiting thread for about 300,000 iterations before it sleeps. On a machine
/// whose cores are shared with other processes (CI runners, a laptop, several trainings at once) the thread a barrier
/// waits for is often descheduled, so its partner burns its whole time slice spinning; a training step runs hundreds of
/// small parallel operators, and on a loaded 2-core machine MiniLM training with 2 threads was measured 4–6× slower than
/// with the passive policy (benchmarks/RESULTS.md, "Training throughput"; a short spin of 1,000 or 10,000 recovered only
/// part of it). GNU OpenMP reads its settings once, when libtorch is
/// loaded, from the native environment; so this runs from <see cref="NativeSetup"/> (module initializer), before any model
/// code, and writes the native environment with <c>setenv</c> (.NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// does not reach it on Unix). A user's own <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c> always wins.
/// </summary>
public static class OpenMpWaitPolicy
{
    /// <summary>The <c>OMP_WAIT_POLICY</c> set when the user set none: waiting threads sleep at once.</summary>
    public const string Policy = "PASSIVE";

    /// <summary>
    /// Sets <c>OMP_WAIT_POLICY</c> to <see cref="Policy"/> in the native environment unless the user set
    /// <c>OMP_WAIT_POLICY</c> or <c>GOMP_SPINCOUNT</c>; returns whether it did. Effective only before libtorch is loaded
    /// (the first <c>torch</c> call of the process); idempotent. Runs automatically when the BioNer assembly loads;
    /// call it first thing from a program that touches TorchSharp before any BioNer type.
    /// </summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return false;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return false;
        if (Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is not null) return false;
        return SetEnv("OMP_WAIT_POLICY", Policy, 0) == 0;
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name,
                                     [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
