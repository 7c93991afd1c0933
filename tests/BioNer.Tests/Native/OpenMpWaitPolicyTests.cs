using System.Runtime.InteropServices;
using BioNer.Native;

namespace BioNer.Tests.Native;

[Trait("Category", Category.Native)]
public class OpenMpWaitPolicyTests
{
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr NativeGetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);

    private static string? Native(string name) => Marshal.PtrToStringUTF8(NativeGetEnv(name));

    [Fact]
    public void ModuleInitializer_NoUserSetting_SetsPassivePolicyInNativeEnvironment()
    {
        _ = typeof(OpenMpWaitPolicy).Assembly; // the BioNer assembly is loaded, so its module initializer has run
        Requires.That(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null && Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") is null,
            "OMP_WAIT_POLICY or GOMP_SPINCOUNT is set in this environment, so BioNer leaves OpenMP alone (unset them to run this)");
        Assert.Equal(OpenMpWaitPolicy.Policy, Native("OMP_WAIT_POLICY"));
        Assert.True(OpenMpWaitPolicy.Apply());            // idempotent: setenv without overwrite succeeds again
        Assert.Equal(OpenMpWaitPolicy.Policy, Native("OMP_WAIT_POLICY"));
    }
}
