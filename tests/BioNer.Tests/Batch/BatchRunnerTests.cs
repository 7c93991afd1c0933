using BioNer.Batch;
using BioNer.Inference;
using BioNer.Literature;
using BioNer.Tests.Inference;
using BioNer.Tests.Literature;

namespace BioNer.Tests.Batch;

public class BatchRunnerTests : IDisposable
{
    private static readonly Dictionary<string, string> Lexicon = new()
    {
        ["patients"] = "B-Chemical", ["cancer"] = "B-Gene", ["cells"] = "B-Gene", ["protein"] = "B-Gene",
    };

    private readonly TempDir _dir = new();
    private readonly string _inputs;

    public BatchRunnerTests()
    {
        _inputs = Path.Combine(_dir.Path, "in");
        Directory.CreateDirectory(Path.Combine(_inputs, "sub"));
        foreach (var f in Directory.GetFiles(PubMedXmlReaderTests.Dir, "pubmedsample*.xml.gz"))
            File.Copy(f, Path.Combine(_inputs, Path.GetFileName(f)));
        File.Copy(Path.Combine(PubMedXmlReaderTests.Dir, "markup-and-deletions.xml"), Path.Combine(_inputs, "sub", "updates.xml"));
    }

    public void Dispose() => _dir.Dispose();

    private static BatchSettings Settings(string format = "pubtator") => new()
    {
        Model = "dictionary", ModelSha256 = "0123456789abcdef", Format = format, Offsets = "codepoints", Aggregation = "first", Runtime = "test",
    };

    private static BatchRunner Runner(StringWriter log, BatchSettings? settings = null, bool redo = false, EntityFormat format = EntityFormat.Pubtator) =>
        new(new DocumentAnnotator(new NerPipeline(new DictionaryScorer(Lexicon))), settings ?? Settings(), log) { Format = format, Redo = redo };

    private BatchResult Run(string outDir, Shard shard, StringWriter? log = null, BatchSettings? settings = null, bool redo = false,
        EntityFormat format = EntityFormat.Pubtator) =>
        Runner(log ?? new StringWriter(), settings, redo, format).Run(BatchPlan.Create([_inputs], shard.Count, outDir), shard, outDir);

    private static SortedDictionary<string, string> Outputs(string dir) =>
        new(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(dir, f).StartsWith('.') && !Path.GetFileName(f).StartsWith('.'))
            .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllText), StringComparer.Ordinal);

    [Fact]
    public void Run_ThreeShards_UnionEqualsSingleRunByteForByte()
    {
        string single = Path.Combine(_dir.Path, "single"), sharded = Path.Combine(_dir.Path, "sharded");
        var all = Run(single, Shard.All);
        Assert.Equal(4, all.Done.Count);
        Assert.Empty(all.Failed);
        for (int k = 0; k < 3; k++) Run(sharded, new Shard(k, 3));
        var a = Outputs(single);
        Assert.Equal(["pubmedsample18n0001-a.pubtator", "pubmedsample18n0001-b.pubtator", "pubmedsample18n0001-c.pubtator", "sub/updates.pubtator"], a.Keys);
        Assert.Equal(a, Outputs(sharded));
        Assert.Contains("8219565|t|", a["pubmedsample18n0001-a.pubtator"]);
        var status = BatchStatus.Read(sharded);
        Assert.True(status.Complete);
        Assert.Equal([0, 1, 2, 0], status.Units.Select(u => u.Shard));
        Assert.Equal(26, status.Units.Sum(u => u.Record!.Documents));
        Assert.Equal(["12345678", "23456789"], status.Units.Single(u => u.Output == "sub/updates.pubtator").Record!.Deleted);
    }

    [Fact]
    public void Run_MoreShardsThanFiles_FilesCutByDocumentAndNothingLostOrDoubled()
    {
        File.Delete(Path.Combine(_inputs, "sub", "updates.xml"));
        File.Delete(Path.Combine(_inputs, "pubmedsample18n0001-b.xml.gz"));
        File.Delete(Path.Combine(_inputs, "pubmedsample18n0001-c.xml.gz"));
        string single = Path.Combine(_dir.Path, "single"), sharded = Path.Combine(_dir.Path, "sharded");
        Run(single, Shard.All);
        for (int k = 0; k < 3; k++) Run(sharded, new Shard(k, 3));
        var parts = Outputs(sharded);
        Assert.Equal(3, parts.Count);
        Assert.All(parts.Keys, k => Assert.Matches(@"^pubmedsample18n0001-a\.part\d-of-3\.pubtator$", k));
        static string[] Blocks(string text) => text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(b => b.Trim('\n')).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(Blocks(Outputs(single).Values.Single()), Blocks(string.Join("\n\n", parts.Values)));
    }

    [Fact]
    public void Rerun_CompleteOutputsSkipped_ChangedInputRedone()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        Run(outDir, Shard.All);
        var first = Outputs(outDir);
        var log = new StringWriter();
        var again = Run(outDir, Shard.All, log);
        Assert.Empty(again.Done);
        Assert.Equal(4, again.Skipped.Count);
        Assert.Contains("complete, skipped", log.ToString());
        // An input that changed (same name) is annotated again; the others stay skipped.
        string updates = Path.Combine(_inputs, "sub", "updates.xml");
        File.WriteAllText(updates, File.ReadAllText(updates).Replace("A title without an abstract.", "A title about cancer cells."));
        again = Run(outDir, Shard.All);
        Assert.Equal("sub/updates.pubtator", Assert.Single(again.Done).Output);
        Assert.Contains("cancer", Outputs(outDir)["sub/updates.pubtator"]);
        Assert.Equal(first["pubmedsample18n0001-a.pubtator"], Outputs(outDir)["pubmedsample18n0001-a.pubtator"]);
    }

    [Fact]
    public void Rerun_InputReplacedByCorruptCopy_StatusFailedNotDone()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        Run(outDir, Shard.All);
        string a = Path.Combine(_inputs, "pubmedsample18n0001-a.xml.gz");
        byte[] bytes = File.ReadAllBytes(a);
        File.WriteAllBytes(a, bytes[..(bytes.Length / 2)]);
        Assert.Single(Run(outDir, Shard.All).Failed);
        var status = BatchStatus.Read(outDir);
        Assert.Equal("failed", status.Units.Single(u => u.Output == "pubmedsample18n0001-a.pubtator").State);
        Assert.False(status.Complete);
    }

    [Fact]
    public void Run_FewerFilesThanShards_JustEnoughParts()
    {
        var plan = BatchPlan.Create(Directory.GetFiles(_inputs, "*.xml.gz"), 4);   // 3 files, 4 shards: 2 parts each
        Assert.Equal(6, plan.Units.Count);
        Assert.All(plan.Units, u => Assert.Equal(2, u.Parts));
        Assert.All(Enumerable.Range(0, 4), k => Assert.NotEmpty(plan.For(new Shard(k, 4))));
    }

    [Fact]
    public void Plan_InputRoot_FileInputKeepsItsSubFolder()
    {
        var plan = BatchPlan.Create([Path.Combine(_inputs, "sub", "updates.xml")], 1, inputRoot: _inputs);
        Assert.Equal(Path.Combine("sub", "updates"), plan.Units.Single().Name);
        Assert.Throws<BioNerException>(() => BatchPlan.Create([Path.Combine(_inputs, "sub", "updates.xml")], 1, inputRoot: Path.Combine(_inputs, "sub", "x")));
    }

    [Fact]
    public void Rerun_TaskKilledMidFile_OnlyThatFileRedoneAndTemporaryRemoved()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        Run(outDir, Shard.All);
        // What a kill during unit b leaves: AtomicFile's temporary, no output, no manifest.
        string b = Path.Combine(outDir, "pubmedsample18n0001-b.pubtator");
        File.Delete(b);
        File.Delete(Manifests.UnitPath(outDir, "pubmedsample18n0001-b.pubtator"));
        string stale = Path.Combine(outDir, $".pubmedsample18n0001-b.pubtator.4242.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "8219565|t|half a docu");
        Assert.False(BatchStatus.Read(outDir).Complete);
        var again = Run(outDir, Shard.All);
        Assert.Equal("pubmedsample18n0001-b.pubtator", Assert.Single(again.Done).Output);
        Assert.False(File.Exists(stale));
        Assert.True(BatchStatus.Read(outDir).Complete);
        // A truncated output (size differs from the manifest) is not taken as complete either.
        File.WriteAllText(b, File.ReadAllText(b)[..100]);
        Assert.Single(Run(outDir, Shard.All).Done);
    }

    [Fact]
    public void Rerun_OtherSettings_RefusedUnlessRedo()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        Run(outDir, Shard.All);
        var other = Settings() with { ModelSha256 = "fedcba9876543210", Model = "other" };
        var e = Assert.Throws<BioNerException>(() => Run(outDir, Shard.All, settings: other));
        Assert.Contains("other settings", e.Message);
        Assert.Contains("--redo", e.Message);
        Assert.Equal(4, Run(outDir, Shard.All, settings: other, redo: true).Done.Count);
        // The old settings are gone with --redo: a shard of a run with them is now the one refused.
        Assert.Contains("other settings", Assert.Throws<BioNerException>(() => Run(outDir, new Shard(0, 2))).Message);
        Assert.Empty(Run(outDir, new Shard(1, 2), settings: other).Done);
    }

    [Fact]
    public void Run_OneJobPerFileIntoOneFolder_StatusSeesTheUnion()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        var files = Directory.GetFiles(_inputs, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        foreach (var f in files.Take(3))
            Runner(new StringWriter()).Run(BatchPlan.Create([f], 1, outDir), Shard.All, outDir);
        var status = BatchStatus.Read(outDir);
        Assert.Equal(3, status.Units.Count);
        Assert.True(status.Complete);
        // More shards than files would cut files into parts: another shard count over them is refused.
        Assert.Throws<BioNerException>(() => Runner(new StringWriter()).Run(BatchPlan.Create([files[0]], 2, outDir), new Shard(0, 2), outDir));
    }

    [Fact]
    public void Run_CorruptAndBinaryInputs_ReportedWithFileAndPositionOthersFinish()
    {
        byte[] gz = File.ReadAllBytes(Path.Combine(_inputs, "pubmedsample18n0001-c.xml.gz"));
        File.WriteAllBytes(Path.Combine(_inputs, "pubmedsample18n0001-c.xml.gz"), gz[..(gz.Length / 3)]);
        File.WriteAllBytes(Path.Combine(_inputs, "photo.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46]);
        string outDir = Path.Combine(_dir.Path, "out");
        var log = new StringWriter();
        var result = Run(outDir, Shard.All, log);
        Assert.Equal(2, result.Failed.Count);
        Assert.Equal(3, result.Done.Count);
        Assert.Contains(result.Failed, f => f.Input.EndsWith("photo.jpg") && f.Error!.Contains("binary"));
        Assert.Contains(result.Failed, f => f.Input.EndsWith("-c.xml.gz") && f.Error!.Contains("pubmedsample18n0001-c.xml.gz"));
        Assert.False(File.Exists(Path.Combine(outDir, "pubmedsample18n0001-c.pubtator")));
        var status = BatchStatus.Read(outDir);
        Assert.Equal(2, status.Units.Count(u => u.State == "failed"));
        Assert.Contains("failed", status.Report());
        string summary = status.WriteSummary();
        Assert.Contains("\"complete\": false", File.ReadAllText(summary));
    }

    [Fact]
    public void Run_BioCOutput_OneCollectionPerInput()
    {
        string outDir = Path.Combine(_dir.Path, "out");
        Run(outDir, Shard.All, settings: Settings("bioc"), format: EntityFormat.BioC);
        string a = Path.Combine(outDir, "pubmedsample18n0001-a.bioc.xml");
        using var reader = DocumentReader.Open(a, null, OffsetUnit.CodePoints);
        Assert.Equal(InputFormat.BioCXml, reader.Format);
        Assert.Equal("PubMed", reader.Header.Source);
        var docs = reader.Documents.ToList();
        Assert.Equal(8, docs.Count);
        Assert.Contains(docs.SelectMany(d => d.Passages).SelectMany(p => p.Existing), m => m.Type == "Chemical" && m.Text == "patients");
    }
}
