using System.Runtime.InteropServices;
using BioNer.Modeling;

namespace BioNer.Tests.Modeling;

[Trait("Category", Category.Native)]
public class MallocTuningTests
{
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
        Assert.Equal(0, GetRUsage(RusageThread, out var u));
        return u.MinFlt;
    }

    /// <summary>Allocates 48 MiB with malloc, writes every page, frees it; returns the page faults that cost.</summary>
    private static long FaultsOfLargeAllocation()
    {
        const int size = 48 << 20;
        long before = MinorFaultsOfThread();
        IntPtr p = Marshal.AllocHGlobal(size);                  // malloc on Unix
        for (int i = 0; i < size; i += 4096) Marshal.WriteByte(p, i, 1);
        Marshal.FreeHGlobal(p);
        return MinorFaultsOfThread() - before;
    }

    [Fact]
    public void ModuleInitializer_OnGlibc_FreedLargeBlocksAreReusedWithoutNewPageFaults()
    {
        _ = typeof(MallocTuning).Assembly;                      // module initializers have run
        bool userSet = new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES" }
            .Any(v => Environment.GetEnvironmentVariable(v) is not null) || Environment.GetEnvironmentVariable(MallocTuning.DisableVariable) == "0";
        Requires.That(OperatingSystem.IsLinux(), "mallopt is glibc's (Linux only)");
        Requires.That(!userSet, "MALLOC_*_ / GLIBC_TUNABLES or BIONER_MALLOC_TUNING=0 is set here, so the tuning is (rightly) skipped");
        Assert.Equal("applied", MallocTuning.Status);
        FaultsOfLargeAllocation();                               // first time: the heap grows, pages fault in
        long again = FaultsOfLargeAllocation();
        // Without the tuning, 48 MiB is above glibc's mmap threshold: a fresh mmap each time, 12,288 page faults.
        Assert.True(again < 1000, $"{again} page faults re-allocating a freed 48 MiB block (expected it reused from the heap)");
    }
}
