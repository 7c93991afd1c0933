using System.Runtime.InteropServices;
using System.Text;
using BioNer.Native;
using TorchSharp;

namespace BioNer.Tests.Native;

[Trait("Category", Category.Native)]
public class LibTorchBridgeTests
{
    private static bool SystemLacksGlibcxx332() =>
        File.Exists("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")
        && !Encoding.ASCII.GetString(File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libstdc++.so.6")).Contains("GLIBCXX_3.4.32\0", StringComparison.Ordinal);

    /// <summary>The bridge as TorchSharp's package ships it, before BioNer's patch (NuGet's global packages folder).</summary>
    private static string UnpatchedBridge() =>
        Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
            "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", LibTorchBridge.FileName);

    [Fact]
    public void DescribeLoadFailure_UnpatchedBridgeOnOldLibstdcxx_NamesVersionFileAndFix()
    {
        Requires.That(OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64, "libtorch's bridge is linux-x64 here");
        Requires.That(SystemLacksGlibcxx332(), "this system's libstdc++ has GLIBCXX_3.4.32, so the unpatched bridge loads", ciMustRun: false);
        using var loaded = torch.ones(1);                       // libtorch's own libraries are in the process (by soname)
        using var dir = new TempDir();
        string copy = Path.Combine(dir.Path, LibTorchBridge.FileName);
        File.Copy(UnpatchedBridge(), copy);
        var e = Assert.Throws<DllNotFoundException>(() => NativeLibrary.Load(copy));
        string? why = LibTorchBridge.DescribeLoadFailure(new TypeInitializationException("TorchSharp.torch", e));
        Assert.NotNull(why);
        Assert.Contains(copy, why);
        Assert.Contains("GLIBCXX_3.4.32", why);
        Assert.Contains("No libtorch package is missing", why);
    }

    [Fact]
    public void DescribeLoadFailure_OtherFailure_Null() =>
        Assert.Null(LibTorchBridge.DescribeLoadFailure(new DllNotFoundException("Unable to load shared library 'onnxruntime'")));
}
