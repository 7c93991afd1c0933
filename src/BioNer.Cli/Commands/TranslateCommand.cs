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
    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var input = new Option<FileSystemInfo>("--in") { Description = "Corpus to translate (CoNLL, JSONL or BRAT)", Required = true };
        var output = new Option<FileSystemInfo>("--out") { Description = "Translated corpus (format from the extension)", Required = true };
        var source = new Option<string>("--source") { Description = "Source language code", DefaultValueFactory = _ => "en" };
        var target = new Option<string>("--target") { Description = "Target language code", DefaultValueFactory = _ => "es" };
        var backend = new Option<string>("--backend")
        {
            Description = "libretranslate:URL | deepl:URL | apertium[:MODE] | command:\"program args...\" (keys from LIBRETRANSLATE_API_KEY / DEEPL_AUTH_KEY)",
            Required = true,
        };
        var batch = new Option<int>("--batch") { Description = "Texts per request", DefaultValueFactory = _ => 16 };
        var cache = new Option<FileInfo?>("--cache") { Description = "Translation cache (JSONL, appended per batch); default: OUT.cache.jsonl" };
        var noCache = new Option<bool>("--no-cache") { Description = "Neither read nor write a translation cache" };
        var projection = new Option<string>("--projection")
        {
            Description = "markers, align, segments, or a chain such as markers+align+segments (each on the sentences the ones before lost)",
            DefaultValueFactory = _ => "markers",
        };
        var style = new Option<string?>("--marker-style") { Description = "brackets, xml or wordbound (default: wordbound for apertium, else brackets)" };
        style.AcceptOnlyFromAmong("brackets", "xml", "wordbound");
        var maxRps = new Option<double>("--max-rps") { Description = "At most this many requests per second (0 = no limit)" };
        var attempts = new Option<int>("--max-attempts") { Description = "Tries per batch on 429/5xx/network errors", DefaultValueFactory = _ => 6 };
        var timeout = new Option<double>("--timeout") { Description = "Seconds per request (HTTP) or per batch (command)", DefaultValueFactory = _ => 120 };

        var cmd = new Command("translate", "Machine-translate an annotated corpus, projecting entity labels onto the translation");
        foreach (var o in new Option[] { input, output, source, target, backend, batch, cache, noCache, projection, style, maxRps, attempts, timeout })
            cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            string method = parse.GetValue(projection)!;
            MarkerStyle? markerStyle = parse.GetValue(style) switch
            {
                "xml" => MarkerStyle.Xml, "wordbound" => MarkerStyle.WordBound, "brackets" => MarkerStyle.Brackets, _ => null,
            };
            string outPath = parse.GetValue(output)!.FullName;
            var run = new Run(
                parse.GetValue(input)!.FullName, outPath, parse.GetValue(backend)!,
                new TranslatorOptions
                {
                    Source = parse.GetValue(source)!, Target = parse.GetValue(target)!, BatchSize = parse.GetValue(batch),
                    MaxRequestsPerSecond = parse.GetValue(maxRps), MaxAttempts = parse.GetValue(attempts),
                },
                method, markerStyle,
                parse.GetValue(noCache) ? null : parse.GetValue(cache)?.FullName ?? outPath.TrimEnd('/', '\\') + ".cache.jsonl",
                TimeSpan.FromSeconds(parse.GetValue(timeout)));
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
