using BioNer.IO;

namespace BioNer.Tests.IO;

public sealed class AtomicFileTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private string[] Siblings() => Directory.GetFileSystemEntries(_tmp.Path).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void WriteDirectory_New_CreatedWithContentAndNoTemporaries()
    {
        string dir = _tmp.File("model");
        AtomicFile.WriteDirectory(dir, t => File.WriteAllText(Path.Combine(t, "a.txt"), "new"));
        Assert.Equal("new", File.ReadAllText(Path.Combine(dir, "a.txt")));
        Assert.Equal(["model"], Siblings());
    }

    [Fact]
    public void WriteDirectory_Existing_ReplacedWholeAndPreviousFilesGone()
    {
        string dir = _tmp.File("best");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "old-only.txt"), "old");
        File.WriteAllText(Path.Combine(dir, "a.txt"), "old");
        AtomicFile.WriteDirectory(dir, t => File.WriteAllText(Path.Combine(t, "a.txt"), "new"));
        Assert.Equal("new", File.ReadAllText(Path.Combine(dir, "a.txt")));
        Assert.False(File.Exists(Path.Combine(dir, "old-only.txt")));
        Assert.Equal(["best"], Siblings());                   // the swapped-out folder is deleted, no .tmp/.old left
    }

    [Fact]
    public void WriteDirectory_FillThrows_ExistingFolderUntouchedAndTemporaryRemoved()
    {
        string dir = _tmp.File("best");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "a.txt"), "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteDirectory(dir, t =>
        {
            File.WriteAllText(Path.Combine(t, "a.txt"), "half");
            throw new InvalidOperationException("crash while writing");
        }));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "a.txt")));
        Assert.Equal(["best"], Siblings());
    }

    [Fact]
    public void WriteAllText_Replaces_AndLeavesNoTemporary()
    {
        string file = _tmp.Write("metrics.json", "old");
        AtomicFile.WriteAllText(file, "new");
        Assert.Equal("new", File.ReadAllText(file));
        Assert.Equal(["metrics.json"], Siblings());
    }
}
