using System.Runtime.InteropServices;
using BioNer.Native;

namespace BioNer.Tests.Native;

/// <summary>
/// Measures, on the calling thread, the page faults of allocating, touching and freeing a 48 MiB block twice.
/// Why it runs as <c>dotnet BioNer.Tests.dll --malloc-probe</c> on that process's main thread: glibc gives threads
/// their own arenas, and only the main arena (sbrk heap) keeps freed memory under <c>M_TRIM_THRESHOLD</c>. Other arenas
/// are made of mmapped heaps of at most 64 MiB that glibc unmaps as soon as one is empty, whatever the trim threshold;
/// on a test-runner thread whose arena already holds other tests' data the 48 MiB block needs a fresh heap, which is
/// unmapped on free and faults in again (12,289 faults: the failure seen only in full runs). <c>bioner train</c> runs its
/// steps on the main thread, which is where the tuning must (and does) hold.
/// </summary>
public static class MallocProbe
{
    public const string Argument = "--malloc-probe";

    [StructLayout(LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UtimeSec, UtimeUsec, StimeSec, StimeUsec, MaxRss, IxRss, IdRss, IsRss, MinFlt, MajFlt,
            NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRUsage(int who, out RUsage usage);

    private static long MinorFaultsOfThread()
    {
        const int RusageThread = 1;
        if (GetRUsage(RusageThread, out var u) != 0) throw new InvalidOperationException("getrusage failed");
        return u.MinFlt;
    }

    private static long FaultsOfLargeAllocation()
    {
        const int size = 48 << 20;
        long before = MinorFaultsOfThread();
        IntPtr p = Marshal.AllocHGlobal(size);                  // malloc on Unix
        for (int i = 0; i < size; i += 4096) Marshal.WriteByte(p, i, 1);
        Marshal.FreeHGlobal(p);
        return MinorFaultsOfThread() - before;
    }

    /// <summary>
    /// Prints "STATUS|first|again|released|whenGrown": tuning status, faults of the first allocation, of the repeated
    /// one, of one after <see cref="MallocTuning.ReleaseFreePages"/> (the pages went back to the OS, so they fault in
    /// again), and whether <see cref="MallocTuning.ReleaseFreePagesIfGrown"/> released only after a large growth.
    /// </summary>
    public static int Run()
    {
        _ = typeof(MallocTuning).Assembly;                      // BioNer's module initializer has run
        long first = FaultsOfLargeAllocation();                 // the heap grows, pages fault in
        long again = FaultsOfLargeAllocation();
        MallocTuning.ReleaseFreePages();
        long released = FaultsOfLargeAllocation();
        // ReleaseFreePagesIfGrown: not after a small growth, yes after the resident size grew by more than the margin.
        bool small = MallocTuning.ReleaseFreePagesIfGrown();
        for (int i = 1; i < MallocTuning.MeasuringCalls; i++) small |= MallocTuning.ReleaseFreePagesIfGrown(); // the working set's window
        int size = (int)MallocTuning.GrowthBeforeRelease + (128 << 20);   // part of it reuses the 48 MiB still resident
        IntPtr p = Marshal.AllocHGlobal(size);
        for (int i = 0; i < size; i += 4096) Marshal.WriteByte(p, i, 1);
        bool grown = MallocTuning.ReleaseFreePagesIfGrown();
        Marshal.FreeHGlobal(p);
        Console.WriteLine($"{MallocTuning.Status}|{first}|{again}|{released}|{(!small && grown ? "released-when-grown" : $"small={small},grown={grown}")}");
        return 0;
    }
}

[Trait("Category", Category.Native)]
public class MallocTuningTests
{
    private static (string Status, long First, long Again, long Released, string WhenGrown) Probe(string? tuning)
    {
        var environment = new Dictionary<string, string?>
        {
            ["MALLOC_MMAP_THRESHOLD_"] = null, ["MALLOC_TRIM_THRESHOLD_"] = null, ["GLIBC_TUNABLES"] = null,
            [MallocTuning.DisableVariable] = tuning,
        };
        string output = ProcessRunner.RunOkAsync(ProcessRunner.Dotnet, [typeof(MallocProbe).Assembly.Location, MallocProbe.Argument],
            environment: environment).GetAwaiter().GetResult().Trim();
        var parts = output.Split('|');
        Assert.True(parts.Length == 5, $"probe printed '{output}'");
        return (parts[0], long.Parse(parts[1]), long.Parse(parts[2]), long.Parse(parts[3]), parts[4]);
    }

    [Fact]
    public void ModuleInitializer_OnGlibc_FreedLargeBlocksAreReusedWithoutNewPageFaults()
    {
        Requires.That(OperatingSystem.IsLinux(), "mallopt is glibc's (Linux only)");
        var (status, first, again, released, whenGrown) = Probe(tuning: null);
        Assert.Equal("applied", status);
        Assert.True(first > 10_000, $"{first} page faults touching a fresh 48 MiB block (expected ~12,288)");
        // Without the tuning, 48 MiB is above glibc's mmap threshold: a fresh mmap each time, 12,288 page faults.
        Assert.True(again < 1000, $"{again} page faults re-allocating a freed 48 MiB block (expected it reused from the heap)");
        // ReleaseFreePages hands the free pages back (what bounds a long run's RSS): touching them again faults.
        Assert.True(released > 10_000, $"{released} page faults after ReleaseFreePages (expected the 48 MiB handed back)");
        Assert.Equal("released-when-grown", whenGrown);
    }

    [Fact]
    public void TuningOff_FreedLargeBlocksAreMappedAgain()
    {
        Requires.That(OperatingSystem.IsLinux(), "mallopt is glibc's (Linux only)");
        var (status, _, again, _, _) = Probe(tuning: "0");
        Assert.Equal($"skipped: {MallocTuning.DisableVariable}=0", status);
        Assert.True(again > 10_000, $"{again} page faults: without the tuning glibc should map the block afresh");
    }
}
