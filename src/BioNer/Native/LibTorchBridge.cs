using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace BioNer.Native;

/// <summary>
/// Says clearly why TorchSharp's native bridge <c>libLibTorchSharp.so</c> did not load when the cause is this system's
/// libstdc++ being older than the bridge needs (GLIBCXX_3.4.32 on Debian 12). Why: TorchSharp's own message blames a
/// missing <c>libtorch-cpu-linux-x64</c> reference, which sends the user to add a package they already have. BioNer's
/// build targets (README, "Why the build patches libtorch's bridge"; shipped in the BioNer.Core package) fix the file;
/// this message tells a user whose build skipped them what to do.
/// </summary>
public static partial class LibTorchBridge
{
    /// <summary>File name of TorchSharp's native bridge.</summary>
    public const string FileName = "libLibTorchSharp.so";

    /// <summary>
    /// The loader's own complaint about the bridge (from <paramref name="e"/>'s messages, else from loading the bridge
    /// next to the application), turned into one line with the fix, when it is a missing GLIBCXX version; otherwise null.
    /// </summary>
    public static string? DescribeLoadFailure(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        bool aboutBridge = false;
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            var m = MissingVersion().Match(x.Message);
            if (m.Success) return Message(m.Groups["version"].Value, m.Groups["file"].Value);
            aboutBridge |= x.Message.Contains("LibTorchSharp", StringComparison.Ordinal) || x.Message.Contains("libtorch", StringComparison.Ordinal);
        }
        if (!aboutBridge) return null;
        foreach (string candidate in Candidates())
        {
            if (!File.Exists(candidate)) continue;
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(candidate));
            }
            catch (DllNotFoundException load)
            {
                var m = MissingVersion().Match(load.Message);
                if (m.Success) return Message(m.Groups["version"].Value, candidate);
            }
        }
        return null;
    }

    private static IEnumerable<string> Candidates()
    {
        string dir = AppContext.BaseDirectory;
        yield return Path.Combine(dir, FileName);
        yield return Path.Combine(dir, "runtimes", "linux-x64", "native", FileName);
    }

    private static string Message(string version, string file) =>
        $"libtorch's bridge {file} does not load: this system's libstdc++ lacks {version} (Debian 12 has up to GLIBCXX_3.4.30). " +
        "No libtorch package is missing: the file needs BioNer's patch, which its build targets apply after every build and " +
        "publish — reference the BioNer.Core package (or build in the BioNer repository), and do not set " +
        "BioNerPatchLibTorchSharp=false (README, \"Why the build patches libtorch's bridge\")";

    [GeneratedRegex(@"version `(?<version>GLIBCXX_[0-9.]+)' not found \(required by (?<file>[^)]*libLibTorchSharp\.so)\)")]
    private static partial Regex MissingVersion();
}
