using System.Runtime.InteropServices;
using BioNer.Native;
using TorchSharp;

namespace BioNer.Tests.Native;

[Trait("Category", Category.Native)]
public class MklCpuDispatchTests
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int IntFunction();

    private static bool LinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    [Fact]
    public void SharedObject_LoaderAcceptsIt_AndItsFunctionReturnsOne()
    {
        Requires.That(LinuxX64, "the override is an ELF x86-64 shared object (Linux x64 only)");
        var image = MklCpuDispatch.BuildSharedObject();
        Assert.Equal(0x7F, image[0]);
        IntPtr handle = MklCpuDispatch.Open(image, global: false);
        Assert.NotEqual(IntPtr.Zero, handle);
        IntPtr function = MklCpuDispatch.Symbol(handle, MklCpuDispatch.FunctionName);
        Assert.NotEqual(IntPtr.Zero, function);
        Assert.Equal(1, Marshal.GetDelegateForFunctionPointer<IntFunction>(function)());
        Assert.Equal(IntPtr.Zero, MklCpuDispatch.Symbol(handle, "mkl_serv_intel_cpu"));   // only the one symbol
    }

    private static bool Amd => LinuxX64 && MklCpuDispatch.CpuVendor() == "AuthenticAMD";

    private static bool Disabled => Environment.GetEnvironmentVariable(MklCpuDispatch.DisableVariable) == "0";

    [Fact]
    public void ModuleInitializer_OnAmd_GlobalLookupOfMklsQuestionAnswersIntel()
    {
        Requires.That(Amd, $"the override only acts on AMD CPUs (this one: {(LinuxX64 ? MklCpuDispatch.CpuVendor() : "not Linux x64")})", ciMustRun: false);
        Requires.That(!Disabled, $"{MklCpuDispatch.DisableVariable}=0 turns the override off in this environment");
        _ = typeof(MklCpuDispatch).Assembly;                     // module initializers have run
        using var x = torch.ones(4, 4);                          // libtorch (and its MKL) is loaded now
        Assert.Equal("applied", MklCpuDispatch.Status);
        // What libtorch_cpu.so's PLT entry binds to: the first definition in the global scope (RTLD_DEFAULT = 0).
        // MKL's own answer on this AMD CPU is 0; the override's is 1.
        IntPtr function = MklCpuDispatch.Symbol(IntPtr.Zero, MklCpuDispatch.FunctionName);
        Assert.NotEqual(IntPtr.Zero, function);
        Assert.Equal(1, Marshal.GetDelegateForFunctionPointer<IntFunction>(function)());
        using var a = torch.rand(96, 80, generator: new torch.Generator(3));
        using var b = torch.rand(80, 72, generator: new torch.Generator(4));
        using var product = torch.matmul(a, b);                  // MKL sgemm, now on its AVX-512 kernels
        using var reference = (a.to(torch.float64).unsqueeze(2) * b.to(torch.float64).unsqueeze(0)).sum(1);
        Assert.True(product.to(torch.float64).allclose(reference, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void ModuleInitializer_NotAmdOrDisabled_LeavesMklAlone()
    {
        Requires.That(!Amd || Disabled, "this CPU is AMD and the override is on: the applied branch is what runs here", ciMustRun: false);
        _ = typeof(MklCpuDispatch).Assembly;
        Assert.StartsWith("skipped", MklCpuDispatch.Status);
    }

    [Fact]
    public void CpuVendor_IsTwelveAsciiCharactersOnX86()
    {
        Requires.That(System.Runtime.Intrinsics.X86.X86Base.IsSupported, "CPUID exists on x86 only");
        var vendor = MklCpuDispatch.CpuVendor();
        Assert.Equal(12, vendor.Length);
        Assert.True(vendor.All(c => c is >= ' ' and <= '~'), vendor);
    }
}
