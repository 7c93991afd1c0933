using System.CommandLine;
using System.Globalization;
using BioNer.Data;
using BioNer.Translation;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner translate</c>: machine-translates an annotated corpus with its entity labels projected onto the
/// translation; writes the translated corpus, a report table, and the report as JSON next to the output.
/// </summary>
internal static class TranslateCommand
{
    private static readonly Option<FileSystemInfo> Input = new("--in") { Description = "Corpus to translate (CoNLL, JSONL or BRAT)", Required = true };
    private static readonly Option<FileSystemInfo> Output = new("--out") { Description = "Translated corpus (format from the extension)", Required = true };
    private static readonly Option<string> Source = new("--source") { Description = "Source language code", DefaultValueFactory = _ => "en" };
    private static readonly Option<string> Target = new("--target") { Description = "Target language code", DefaultValueFactory = _ => "es" };
    private static readonly Option<string> Backend = new("--backend")
    {
        Description = "libretranslate:URL | deepl:URL | apertium[:MODE] | command:\"program args...\" (keys from LIBRETRANSLATE_API_KEY / DEEPL_AUTH_KEY)",
        Required = true,
    };
    private static readonly Option<int> Batch = new("--batch") { Description = "Texts per request", DefaultValueFactory = _ => 16 };
    private static readonly Option<FileInfo?> Cache = new("--cache") { Description = "Translation cache (JSONL, appended per batch); default: OUT.cache.jsonl" };
    private static readonly Option<bool> NoCache = new("--no-cache") { Description = "Neither read nor write a translation cache" };
    private static readonly Option<string> Projection = new("--projection")
    {
        Description = "markers, align, segments, or a chain such as markers+align+segments (each on the sentences the ones before lost)",
        DefaultValueFactory = _ => "markers",
    };
    private static readonly Option<string?> Style = new Option<string?>("--marker-style") { Description = "brackets, xml or wordbound (default: wordbound for apertium, else brackets)" }
        .AcceptOnlyFromAmong("brackets", "xml", "wordbound");
    private static readonly Option<double> MaxRps = new("--max-rps") { Description = "At most this many requests per second (0 = no limit)" };
    private static readonly Option<int> Attempts = new("--max-attempts") { Description = "Tries per batch on 429/5xx/network errors", DefaultValueFactory = _ => 6 };
    private static readonly Option<double> Timeout = new("--timeout") { Description = "Seconds per request (HTTP) or per batch (command)", DefaultValueFactory = _ => 120 };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("translate", "Machine-translate an annotated corpus, projecting entity labels onto the translation");
        foreach (var o in new Option[] { Input, Output, Source, Target, Backend, Batch, Cache, NoCache, Projection, Style, MaxRps, Attempts, Timeout })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string method = parse.GetValue(Projection)!;
            MarkerStyle? markerStyle = parse.GetValue(Style) switch
            {
                "xml" => MarkerStyle.Xml, "wordbound" => MarkerStyle.WordBound, "brackets" => MarkerStyle.Brackets, _ => null,
            };
            string outPath = parse.GetValue(Output)!.FullName;
            var run = new Run(
                parse.GetValue(Input)!.FullName, outPath, parse.GetValue(Backend)!,
                new TranslatorOptions
                {
                    Source = parse.GetValue(Source)!, Target = parse.GetValue(Target)!, BatchSize = parse.GetValue(Batch),
                    MaxRequestsPerSecond = parse.GetValue(MaxRps), MaxAttempts = parse.GetValue(Attempts),
                },
                method, markerStyle,
                parse.GetValue(NoCache) ? null : parse.GetValue(Cache)?.FullName ?? outPath.TrimEnd('/', '\\') + ".cache.jsonl",
                TimeSpan.FromSeconds(parse.GetValue(Timeout)));
            return Execute(run, parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        });
        return cmd;
    }

    private sealed record Run(string In, string Out, string Backend, TranslatorOptions Translator, string Method,
        MarkerStyle? Style, string? Cache, TimeSpan Timeout);

    private static int Execute(Run run, TextWriter stdout, TextWriter stderr)
    {
        if (run.Timeout <= TimeSpan.Zero) throw new BioNerException("--timeout: must be positive");
        run.Translator.Validate();
        var corpus = CorpusIO.Read(run.In);
        var chain = ProjectionOptions.Parse(run.Method, MarkerStyle.Brackets);
        var settings = new BackendSettings
        {
            XmlTags = run.Style == MarkerStyle.Xml && (chain.Method == ProjectionMethod.Markers || chain.Fallbacks.Contains(ProjectionMethod.Markers)),
            Timeout = run.Timeout, Source = run.Translator.Source, Target = run.Translator.Target,
        };
        using var backend = TranslationBackends.Create(run.Backend, settings);
        var projection = chain with { MarkerStyle = run.Style ?? backend.PreferredMarkerStyle ?? MarkerStyle.Brackets };
        using var cache = run.Cache is null ? null : TranslationCache.Open(run.Cache);
        if (cache is { SkippedLines: > 0 }) stderr.WriteLine($"warning: {run.Cache}: {cache.SkippedLines} unreadable cache lines ignored");
        var translator = new Translator(backend, run.Translator, cache);
        var progress = new ProgressPrinter(stderr, ReferenceEquals(stderr, Console.Error) && !Console.IsErrorRedirected);
        var result = CorpusTranslator.TranslateAsync(corpus, translator, projection, progress.Report).GetAwaiter().GetResult();
        progress.Finish();
        CorpusIO.Write(result.Corpus, run.Out);
        string reportPath = run.Out.TrimEnd('/', '\\') + ".report.json";
        result.Report.Save(reportPath);
        stdout.Write(result.Report.ToTable());
        stdout.WriteLine($"wrote {result.Corpus.Sentences.Count} sentences to {run.Out}; report {reportPath}");
        return 0;
    }

    /// <summary>Progress on stderr: an updating line on a terminal, plain lines (at most one per 5 s) when redirected.</summary>
    private sealed class ProgressPrinter(TextWriter writer, bool terminal)
    {
        private DateTime _last = DateTime.MinValue;
        private TranslationProgress? _latest;
        private bool _pending;

        public void Report(TranslationProgress p)
        {
            _latest = p;
            var now = DateTime.UtcNow;
            if ((now - _last).TotalSeconds < (terminal ? 0.2 : 5) && p.Done < p.Total) { _pending = true; return; }
            _last = now;
            _pending = false;
            Write(p);
        }

        public void Finish()
        {
            if (_pending && _latest is { } p) Write(p);
            if (terminal) writer.WriteLine();
        }

        private void Write(TranslationProgress p)
        {
            var c = CultureInfo.InvariantCulture;
            string eta = p.Eta is { } e ? e.ToString(@"hh\:mm\:ss", c) : "--:--:--";
            string line = string.Create(c, $"translated {p.Done}/{p.Total} texts ({(p.Total == 0 ? 100 : 100.0 * p.Done / p.Total):0}%), {p.FromCache} from cache, ETA {eta}");
            if (terminal) writer.Write("\r" + line);
            else writer.WriteLine(line);
        }
    }
}
