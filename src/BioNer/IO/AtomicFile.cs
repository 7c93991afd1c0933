using System.Runtime.InteropServices;
using System.Text;

namespace BioNer.IO;

/// <summary>
/// Writes files and folders so that a reader (or a crashed run) never sees a half-written result: content goes to a
/// temporary sibling first and is renamed into place, which is atomic on the same file system.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="content"/> as UTF-8 (no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string content) =>
        Write(path, stream =>
        {
            using var w = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true); // AtomicFile flushes and closes the stream
            w.Write(content);
        });

    /// <summary>Writes bytes to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, byte[] content) => Write(path, s => s.Write(content));

    /// <summary>
    /// Runs <paramref name="write"/> against a temporary file next to <paramref name="path"/>, flushes it to disk and
    /// renames it over <paramref name="path"/>. On failure the temporary file is deleted and the old file is untouched.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            TryDelete(tmp);
            throw;
        }
    }

    /// <summary>
    /// Builds a whole folder atomically: <paramref name="fill"/> writes into a fresh temporary sibling folder, which then
    /// replaces <paramref name="directory"/> (an existing folder is moved aside first and deleted after the swap).
    /// </summary>
    public static void WriteDirectory(string directory, Action<string> fill)
    {
        string full = Path.GetFullPath(directory.TrimEnd('/', '\\'));
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        string tmp = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(tmp);
        try
        {
            fill(tmp);
        }
        catch
        {
            TryDeleteDirectory(tmp);
            throw;
        }
        string? old = null;
        if (Directory.Exists(full))
        {
            // Linux: one renameat2(RENAME_EXCHANGE) swaps the two folders, so there is no instant at which `full` is
            // missing (a kill between two moves would otherwise leave no folder, e.g. no checkpoints/best on resume).
            if (TryExchange(tmp, full))
            {
                TryDeleteDirectory(tmp);                     // now holds the previous contents
                return;
            }
            old = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.old");
            Directory.Move(full, old);
        }
        Directory.Move(tmp, full);
        if (old is not null) TryDeleteDirectory(old);
    }

    /// <summary>Atomically swaps two existing paths (Linux <c>renameat2</c> with <c>RENAME_EXCHANGE</c>); false where unsupported.</summary>
    private static bool TryExchange(string a, string b)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            const int AtFdCwd = -100;
            const uint RenameExchange = 2;
            return RenameAt2(AtFdCwd, a, AtFdCwd, b, RenameExchange) == 0;   // ENOSYS/EINVAL (old kernel, some filesystems): fall back
        }
        catch (EntryPointNotFoundException)
        {
            return false;                                    // a libc without renameat2 (glibc < 2.28)
        }
    }

    [DllImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static extern int RenameAt2(int oldDirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string oldPath,
        int newDirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string newPath, uint flags);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void TryDeleteDirectory(string path)
    {
        try { Directory.Delete(path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
