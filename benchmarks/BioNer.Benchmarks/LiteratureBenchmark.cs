using System.Diagnostics;
using System.IO.Compression;
using System.Xml.Linq;
using BioNer.Batch;
using BioNer.Inference;
using BioNer.Literature;
using BioNer.Onnx.Export;
using BioNer.Onnx.Runtime;
using TorchSharp;

namespace BioNer.Benchmarks;

/// <summary>
/// Annotating PubMed-style abstracts: documents/s and words/s per runtime (TorchSharp, ONNX Runtime fp32 and int8,
/// interleaved, repeated), what the rest of the path costs (XML parsing and PubTator writing alone), peak RSS of a
/// <c>bioner predict</c> over one file against a file ten times larger, and from those the cost of the whole PubMed baseline.
/// </summary>
public static class LiteratureBenchmark
{
    /// <summary>PubMed baseline 2025: 1,274 files, about 38 million citations (NLM's baseline README).</summary>
    private const double BaselineCitations = 38e6;

    /// <summary>
    /// Options: <c>--model</c> (minilm), <c>--files N</c> (2) of <c>--docs N</c> (120) citations each, <c>--runs N</c> (3),
    /// <c>--threads N</c> (2), <c>--rss-docs N</c> (150; the RSS pair is N and 10 N), <c>--no-rss</c>;
    /// <c>--write-corpus DIR</c> only writes the corpus (for the Slurm comparison, benchmarks/literature-slurm.sh).
    /// </summary>
    public static int Run(string[] args)
    {
        int runs = Timing.IntOption(args, "--runs", 3), threads = Timing.IntOption(args, "--threads", 2);
        int files = Timing.IntOption(args, "--files", 2), docs = Timing.IntOption(args, "--docs", 120), rssDocs = Timing.IntOption(args, "--rss-docs", 150);
        if (Timing.StringOption(args, "--write-corpus", null) is { } target)
        {
            var citations = CitationPool();
            for (int f = 1; f <= files; f++) WriteCorpusFile(target, $"pubmed25n{f:D4}", citations, docs, f * 1_000_000);
            Console.WriteLine($"wrote {files} files × {docs} citations to {target}");
            return 0;
        }
        torch.set_num_threads(threads);
        string work = Directory.CreateTempSubdirectory("bioner-literature-bench-").FullName;
        try
        {
            var (modelDir, _) = InferenceBenchmark.PrepareModel(Timing.StringOption(args, "--model", "minilm")!, work);
            string exportDir = Path.Combine(work, "export");
            OnnxExporter.Export(modelDir, exportDir, new OnnxExportOptions { QuantizeInt8 = true });
            var pool = CitationPool();
            var corpus = Enumerable.Range(1, files).Select(f => WriteCorpusFile(Path.Combine(work, "corpus"), $"pubmed25n{f:D4}", pool, docs, f * 1_000_000)).ToList();
            Console.WriteLine($"corpus: {files} files × {docs} citations ({pool.Count} distinct sample citations repeated with new PMIDs), " +
                              $"{threads} threads, {runs} interleaved runs; load average {Timing.LoadAverage()}");

            var (docCount, words) = Count(corpus);
            var scorers = new (string Name, Func<ITokenScorer> Create)[]
            {
                ("torch", () => TorchTokenScorer.Load(modelDir)),
                ("onnx", () => OnnxTokenScorer.Load(exportDir, new OnnxRuntimeOptions { IntraOpThreads = threads })),
                ("onnx-int8", () => OnnxTokenScorer.Load(exportDir, new OnnxRuntimeOptions { IntraOpThreads = threads, Quantized = true })),
            };
            var pipelines = scorers.Select(s => (s.Name, Pipeline: new NerPipeline(s.Create()))).ToList();
            var seconds = pipelines.ToDictionary(p => p.Name, _ => new List<double>());
            var parse = new List<double>();
            var write = new List<double>();
            List<Document>? annotated = null;
            foreach (var (_, pipeline) in pipelines) Annotate(pipeline, corpus[..1]);        // warm-up
            for (int r = 0; r < runs; r++)
            {
                parse.Add(Time(() => Count(corpus)));
                foreach (var (name, pipeline) in pipelines) seconds[name].Add(Time(() => annotated = Annotate(pipeline, corpus)));
                write.Add(Time(() => WritePubTator(annotated!)));
            }
            var table = new MarkdownTable("stage", "runtime", "docs/s (median)", "min–max", "words/s (median)", "ms/doc");
            void Row(string stage, string runtime, List<double> s)
            {
                s.Sort();
                double med = s[s.Count / 2];
                table.Add(stage, runtime, $"{docCount / med:F1}", $"{docCount / s[^1]:F1}–{docCount / s[0]:F1}", $"{words / med:N0}", $"{1000 * med / docCount:F2}");
            }
            Row("parse PubMed XML (gzip)", "-", parse);
            foreach (var (name, _) in pipelines) Row("annotate (model + words + windows)", name, seconds[name]);
            Row("write PubTator", "-", write);
            table.Print();
            Console.WriteLine($"{docCount} citations, {words:N0} words per run");

            double best = pipelines.Select(p => docCount / Median(seconds[p.Name])).Max();
            string bestName = pipelines.OrderByDescending(p => docCount / Median(seconds[p.Name])).First().Name;
            double taskHours = BaselineCitations / best / 3600;
            Console.WriteLine($"PubMed baseline (~{BaselineCitations / 1e6:F0} M citations) with {bestName} at {best:F1} docs/s per {threads}-thread task: " +
                              $"{taskHours:N0} task-hours = {taskHours * threads:N0} core-hours; on N nodes of 32 cores ({32 / threads} tasks each): " +
                              $"{taskHours / (32.0 / threads):N0} / N hours wall (10 nodes: {taskHours / (32.0 / threads) / 10:F1} h)");
            foreach (var (_, p) in pipelines) p.Dispose();

            if (!Timing.Flag(args, "--no-rss")) Rss(exportDir, pool, rssDocs, threads, work);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static double Median(List<double> s) => s.Order().ElementAt(s.Count / 2);

    private static double Time(Action a)
    {
        var w = Stopwatch.StartNew();
        a();
        return w.Elapsed.TotalSeconds;
    }

    private static (int Docs, long Words) Count(List<string> corpus)
    {
        int docs = 0;
        long words = 0;
        foreach (var f in corpus)
        {
            using var reader = DocumentReader.Open(f, InputFormat.PubMed, OffsetUnit.CodePoints);
            foreach (var d in reader.Documents)
            {
                docs++;
                foreach (var p in d.Passages) words += Data.WordTokenizer.Tokenize(p.Text).Count;
            }
        }
        return (docs, words);
    }

    private static List<Document> Annotate(NerPipeline pipeline, List<string> corpus)
    {
        var annotator = new DocumentAnnotator(pipeline);
        var result = new List<Document>();
        foreach (var f in corpus)
        {
            using var reader = DocumentReader.Open(f, InputFormat.PubMed, OffsetUnit.CodePoints);
            result.AddRange(annotator.Annotate(reader.Documents));
        }
        return result;
    }

    private static void WritePubTator(List<Document> docs)
    {
        using var sink = new StreamWriter(Stream.Null);
        var writer = new PubTator.Writer(sink, OffsetUnit.CodePoints);
        foreach (var d in docs) writer.Write(d);
        writer.Complete();
    }

    /// <summary>
    /// Peak RSS of the real command, <c>bioner predict --input FILE --out DIR --format pubtator --runtime onnx-int8</c>
    /// (the Release CLI build, under <c>/usr/bin/time</c>), over one file of <paramref name="docs"/> citations and one
    /// ten times larger: streaming should hold a group of documents, not a file.
    /// </summary>
    private static void Rss(string modelDir, List<XElement> pool, int docs, int threads, string work)
    {
        string? cli = Repo.TryLocate("src/BioNer.Cli/bin/Release/net10.0/linux-x64/BioNer.Cli.dll");
        if (cli is null || !File.Exists("/usr/bin/time"))
        {
            Console.WriteLine("\npeak RSS: skipped (needs the Release CLI build, `dotnet build src/BioNer.Cli -c Release`, and /usr/bin/time)");
            return;
        }
        var table = new MarkdownTable("corpus (one file)", "citations", "file MB (gzip)", "peak RSS MB", "seconds");
        foreach (int n in new[] { docs, docs * 10 })
        {
            string dir = Path.Combine(work, $"rss-{n}");
            string file = WriteCorpusFile(dir, $"pubmed-rss-{n}", pool, n, 50_000_000);
            var psi = new ProcessStartInfo("/usr/bin/time", ["-f", "%M %e", "dotnet", cli, "predict", "--model", modelDir, "--input", file,
                "--out", Path.Combine(dir, "out") + "/", "--format", "pubtator", "--runtime", "onnx-int8", "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            { RedirectStandardError = true, RedirectStandardOutput = true };
            using var p = Process.Start(psi)!;
            _ = p.StandardOutput.ReadToEndAsync();
            string err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            var last = err.TrimEnd().Split('\n')[^1].Split(' ');
            if (p.ExitCode != 0 || last.Length != 2) throw new BioNerException($"bioner predict failed: {err}");
            table.Add(n == docs ? "1×" : "10×", n, $"{new FileInfo(file).Length / 1e6:F2}", $"{double.Parse(last[0], System.Globalization.CultureInfo.InvariantCulture) / 1024:F0}", last[1]);
        }
        Console.WriteLine("\npeak RSS of `bioner predict` over one PubMed file (onnx-int8):");
        table.Print();
    }

    /// <summary>The citations (with abstracts) of the committed PubMed sample fixtures.</summary>
    private static List<XElement> CitationPool()
    {
        string dir = Repo.Locate("tests/BioNer.Tests/fixtures/pubmed");
        return Directory.GetFiles(dir, "pubmedsample*.xml.gz").Order(StringComparer.Ordinal)
            .SelectMany(f =>
            {
                using var s = new GZipStream(File.OpenRead(f), CompressionMode.Decompress);
                return XDocument.Load(s).Root!.Elements("PubmedArticle").ToList();
            }).ToList();
    }

    private static string WriteCorpusFile(string dir, string name, List<XElement> pool, int docs, int firstPmid)
    {
        Directory.CreateDirectory(dir);
        var set = new XElement("PubmedArticleSet");
        for (int i = 0; i < docs; i++)
        {
            var a = new XElement(pool[i % pool.Count]);
            a.Descendants("PMID").First().Value = (firstPmid + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            set.Add(a);
        }
        string path = Path.Combine(dir, name + ".xml.gz");
        using var output = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        new XDocument(set).Save(output);
        return path;
    }
}
