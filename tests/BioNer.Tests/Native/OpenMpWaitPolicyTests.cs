using System.Runtime.InteropServices;
using BioNer.Native;

namespace BioNer.Tests.Native;

[Trait("Category", Category.Native)]
public class OpenMpWaitPolicyTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    private static string? Native(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    [Theory]
    [InlineData(null, null, 0.2, null, 2, null)]        // idle 2-core machine: leave OpenMP spinning
    [InlineData(null, null, 0.99, null, 2, null)]
    [InlineData(null, null, 1.0, null, 2, "PASSIVE")]   // one other process flat out on 2 cores: busy
    [InlineData(null, null, 17.5, null, 2, "PASSIVE")]
    [InlineData(null, null, 3.0, null, 8, null)]
    [InlineData(null, null, 4.0, null, 8, "PASSIVE")]
    [InlineData(null, null, null, null, 2, "PASSIVE")]  // load unreadable: the safe choice
    [InlineData(null, null, 4.38, 0.02, 2, null)]       // the load of a step that just ended: idle now, so spin
    [InlineData(null, null, 2.0, 0.79, 2, null)]
    [InlineData(null, null, 2.0, 0.8, 2, "PASSIVE")]    // others use 0.4 of the CPUs now: busy
    [InlineData(null, null, 4.38, 1.9, 2, "PASSIVE")]
    [InlineData(null, null, 0.2, 1.9, 2, null)]         // a sample only clears a high load average, never raises a low one
    [InlineData(null, null, null, 0.1, 2, null)]        // no load average but a sample that says idle
    [InlineData("ACTIVE", null, 17.5, 1.9, 2, null)]    // the user's setting wins either way
    [InlineData(null, "10000", 17.5, 1.9, 2, null)]
    [InlineData("PASSIVE", null, 0.0, 0.0, 2, null)]
    public void Decide_ByUserSettingLoadAndSample(string? policy, string? spin, double? load, double? now, int cores, string? expected) =>
        Assert.Equal(expected, OpenMpWaitPolicy.Decide(policy, spin, load, now, cores));

    [Fact]
    public void OthersBusyNow_CountsAnotherProcessSpinning()
    {
        Requires.That(File.Exists("/proc/stat") && File.Exists("/bin/sh"), "needs Linux's /proc/stat and /bin/sh");
        using var spinner = System.Diagnostics.Process.Start("/bin/sh", ["-c", "while :; do :; done"]);
        try
        {
            Thread.Sleep(100);  // the shell is running its loop
            double? others = OpenMpWaitPolicy.OthersBusyNow(TimeSpan.FromMilliseconds(400));
            Assert.NotNull(others);
            Assert.InRange(others.Value, 0.5, Environment.ProcessorCount);
        }
        finally { spinner.Kill(); spinner.WaitForExit(); }
    }

    [Fact]
    public void OthersBusyNow_LeavesOutThisProcessesOwnThreads()
    {
        Requires.That(File.Exists("/proc/stat"), "needs Linux's /proc/stat");
        Requires.That(Environment.ProcessorCount >= 2, "needs 2 CPUs: one for the spinning thread");
        // This process spins one CPU flat out during the sample; with it subtracted, what is left is the rest of the
        // machine, which samples before and after, without the spinner, measure the same way (the larger of the two,
        // so that other processes starting or ending in between do not count against it).
        using var stop = new CancellationTokenSource();
        var spin = new Thread(() => { while (!stop.IsCancellationRequested) { } }) { IsBackground = true };
        double? before = OpenMpWaitPolicy.OthersBusyNow(TimeSpan.FromMilliseconds(400));
        double? withSelf;
        spin.Start();
        try { Thread.Sleep(50); withSelf = OpenMpWaitPolicy.OthersBusyNow(TimeSpan.FromMilliseconds(400)); }
        finally { stop.Cancel(); spin.Join(); }
        double? after = OpenMpWaitPolicy.OthersBusyNow(TimeSpan.FromMilliseconds(400));
        Assert.NotNull(withSelf);
        Assert.NotNull(before);
        Assert.NotNull(after);
        double without = Math.Max(before.Value, after.Value);
        Assert.True(withSelf.Value < without + 0.6,
            $"this process's own spinning thread counted as another process: {withSelf:0.00} CPUs with it, {without:0.00} without");
    }

    [Fact]
    public void ModuleInitializer_NoUserSetting_WritesItsDecisionToTheNativeEnvironment()
    {
        _ = typeof(OpenMpWaitPolicy).Assembly; // the BioNer assembly is loaded, so its module initializer has run
        Requires.That(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null,
            "OMP_WAIT_POLICY or GOMP_SPINCOUNT is set in this environment, so BioNer leaves OpenMP alone (unset them to run this)");
        bool passive = OpenMpWaitPolicy.Apply();        // idempotent: the module initializer's decision again
        Assert.Equal(passive ? OpenMpWaitPolicy.Policy : null, Native("OMP_WAIT_POLICY"));
        Assert.Contains(passive ? "busy at start: " : "idle at start: ", OpenMpWaitPolicy.Status);
        Assert.Equal(passive, OpenMpWaitPolicy.Apply());
    }
}
