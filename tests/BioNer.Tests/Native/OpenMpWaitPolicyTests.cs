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
    [InlineData(null, null, 0.2, 2, null)]        // idle 2-core machine: leave OpenMP spinning
    [InlineData(null, null, 0.99, 2, null)]
    [InlineData(null, null, 1.0, 2, "PASSIVE")]   // one other process flat out on 2 cores: busy
    [InlineData(null, null, 17.5, 2, "PASSIVE")]
    [InlineData(null, null, 3.0, 8, null)]
    [InlineData(null, null, 4.0, 8, "PASSIVE")]
    [InlineData(null, null, null, 2, "PASSIVE")]  // load unreadable: the safe choice
    [InlineData("ACTIVE", null, 17.5, 2, null)]   // the user's setting wins either way
    [InlineData(null, "10000", 17.5, 2, null)]
    [InlineData("PASSIVE", null, 0.0, 2, null)]
    public void Decide_ByUserSettingAndLoad(string? policy, string? spin, double? load, int cores, string? expected) =>
        Assert.Equal(expected, OpenMpWaitPolicy.Decide(policy, spin, load, cores));

    [Fact]
    public void ModuleInitializer_NoUserSetting_WritesItsDecisionToTheNativeEnvironment()
    {
        _ = typeof(OpenMpWaitPolicy).Assembly; // the BioNer assembly is loaded, so its module initializer has run
        Requires.That(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null,
            "OMP_WAIT_POLICY or GOMP_SPINCOUNT is set in this environment, so BioNer leaves OpenMP alone (unset them to run this)");
        bool passive = OpenMpWaitPolicy.Apply();        // idempotent: the module initializer's decision again
        Assert.Equal(passive ? OpenMpWaitPolicy.Policy : null, Native("OMP_WAIT_POLICY"));
        Assert.Contains(passive ? "busy at start: load " : "idle at start: load ", OpenMpWaitPolicy.Status);
        Assert.Equal(passive, OpenMpWaitPolicy.Apply());
    }
}
