using System.Runtime.InteropServices;

namespace BioNer.Native;

/// <summary>
/// Keeps libtorch's large tensor buffers in glibc's heap instead of fresh <c>mmap</c>s.
/// Why: libtorch allocates every tensor with <c>posix_memalign</c>. glibc serves blocks above its mmap threshold (128 KiB,
/// rising at most to 32 MiB) with a new <c>mmap</c> and returns them with <c>munmap</c> on free, so each training step
/// maps, page-faults in (zero-fills) and unmaps the same tens of megabytes again: the MiniLM word-embedding gradient and
/// AdamW's temporaries alone are 47 MB each. Measured on the 2-core AMD EPYC (benchmarks/RESULTS.md, "What the native
/// setup is worth"): MiniLM training 649 → 1,178 real tokens/s, optimizer 259 → 105 ms per step, 7× fewer page faults. With the
/// threshold at 1 GiB and trimming off, a freed buffer stays in the heap and the next step reuses it. Cost: freed
/// memory is never given back, and with blocks of ever other sizes (length-grouped batches, evaluation batches) the heap
/// fragments and grows: the CRAFT run reached 3.5 GiB RSS within 200 steps (6.3 GB in a longer run) against 1.5 GiB untuned.
/// Measured there: between two trims the heap grows by ~25 MB a step (freed blocks are not reused for the next step's
/// other sizes). So a trainer calls <see cref="ReleaseFreePagesIfGrown"/> after every step and <see cref="ReleaseFreePages"/>
/// after evaluations: the free pages inside the heap go back to the OS whenever the resident size has grown by
/// <see cref="GrowthBeforeRelease"/> past the working set, which bounds a run at its working set plus that margin and
/// costs a trim every few dozen steps (benchmarks/RESULTS.md, "Peak memory of the CRAFT run").
/// Only the main arena is tuned this way: glibc gives other threads arenas of at most 64 MiB mmapped heaps, which it
/// unmaps as soon as one is empty whatever the trim threshold, and serves larger blocks there by mmap. <c>bioner
/// train</c> runs its steps on the main thread; a server's request threads get the default behaviour for big blocks.
/// Runs from <see cref="NativeSetup"/> (module initializer; later allocations are what matter, so it need not precede
/// libtorch); skipped off glibc, when the user set <c>MALLOC_MMAP_THRESHOLD_</c>, <c>MALLOC_TRIM_THRESHOLD_</c> or
/// <c>GLIBC_TUNABLES</c> (theirs wins), or when <c>BIONER_MALLOC_TUNING=0</c>.
/// </summary>
public static class MallocTuning
{
    /// <summary>Blocks up to this size come from the heap (1 GiB: above any single BioNer tensor of a base-sized model).</summary>
    public const int MmapThreshold = 1 << 30;

    /// <summary>Free memory at the top of the heap is given back only above this (int.MaxValue ≈ never; see
    /// <see cref="ReleaseFreePages"/>).</summary>
    public const int TrimThreshold = int.MaxValue;

    /// <summary>Environment variable that turns the tuning off (<c>0</c>).</summary>
    public const string DisableVariable = "BIONER_MALLOC_TUNING";

    /// <summary>What <see cref="Apply"/> did: "applied", or why not.</summary>
    public static string Status { get; private set; } = "not run";

    private static bool _done;

    /// <summary>Sets glibc's mmap and trim thresholds when it applies; idempotent. Returns whether they are set.</summary>
    public static bool Apply()
    {
        if (_done) return Status == "applied";
        _done = true;
        if (!OperatingSystem.IsLinux()) return Skip("not Linux");
        if (Environment.GetEnvironmentVariable(DisableVariable) == "0") return Skip($"{DisableVariable}=0");
        foreach (var user in new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "GLIBC_TUNABLES" })
            if (Environment.GetEnvironmentVariable(user) is not null) return Skip($"{user} is set");
        try
        {
            const int MTrimThreshold = -1, MMmapThreshold = -3;
            if (MallOpt(MMmapThreshold, MmapThreshold) != 1) return Skip("mallopt(M_MMAP_THRESHOLD) refused");
            if (MallOpt(MTrimThreshold, TrimThreshold) != 1) return Skip("mallopt(M_TRIM_THRESHOLD) refused");
        }
        catch (EntryPointNotFoundException)
        {
            return Skip("no mallopt (not glibc)");           // e.g. musl: its allocator, its rules
        }
        Status = "applied";
        return true;
    }

    /// <summary>How much the resident size may grow past the working set before the next trim (512 MiB).</summary>
    public const long GrowthBeforeRelease = 512L << 20;

    private static long _workingSet;
    private static bool _measureNext = true;

    /// <summary>
    /// Gives the free pages of the main heap back to the OS (<c>malloc_trim(0)</c>) when the tuning is applied, and says
    /// whether it did. Why: with trimming off the heap keeps every page it ever held.
    /// </summary>
    public static bool ReleaseFreePages()
    {
        if (Status != "applied") return false;
        MallocTrim(0);
        _measureNext = true;
        return true;
    }

    /// <summary>
    /// <see cref="ReleaseFreePages"/> once the process's resident size has grown by more than
    /// <see cref="GrowthBeforeRelease"/> past its working set (the largest resident size over the
    /// <see cref="MeasuringCalls"/> calls after a release, when the steps have faulted their buffers back in). Cheap
    /// enough after every training step: one read of <c>/proc/self/statm</c>. Why not a smaller margin: each release
    /// makes the next step fault its whole working set in again (~200 MB for MiniLM at batch 8), the cost the tuning
    /// exists to avoid. Returns whether it released.
    /// </summary>
    public static bool ReleaseFreePagesIfGrown()
    {
        if (Status != "applied") return false;
        long resident = ResidentBytes();
        if (_measureNext)
        {
            _workingSet = resident;
            _measureNext = false;
            _measuring = MeasuringCalls - 1;
            return false;
        }
        if (_measuring > 0)
        {
            _workingSet = Math.Max(_workingSet, resident);
            _measuring--;
            return false;
        }
        return resident - _workingSet > GrowthBeforeRelease && ReleaseFreePages();
    }

    /// <summary>
    /// Calls after a release over which <see cref="ReleaseFreePagesIfGrown"/> takes the working set as the largest
    /// resident size seen. Why not the first call alone: length-grouped batches differ several-fold in length, so the
    /// first step after a release may be a short batch; a long one then "grows" past the margin at once, and a run
    /// releases and faults its buffers back in every few steps (seen with bf16, whose casts add transient buffers:
    /// 31.8 M page faults in a MiniLM CRAFT run against 1.35 M in fp32).
    /// </summary>
    public const int MeasuringCalls = 32;

    private static int _measuring;

    private static long ResidentBytes()
    {
        try
        {
            // statm: size resident shared text lib data dt, in pages.
            var fields = File.ReadAllText("/proc/self/statm").Split(' ');
            return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    private static bool Skip(string why)
    {
        Status = "skipped: " + why;
        return false;
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int MallOpt(int param, int value);
}
