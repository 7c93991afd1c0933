using BioNer.Data;

namespace BioNer.Translation;

/// <summary>How <see cref="CorpusTranslator"/> carries labels into the translation.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Markers (default), align or segments.</summary>
    public ProjectionMethod Method { get; init; } = ProjectionMethod.Markers;

    /// <summary>
    /// Methods tried, in order, on the sentences the ones before lost (<c>--projection markers+align+segments</c>):
    /// each method loses different sentences, so a chain keeps more entities than any one method.
    /// </summary>
    public IReadOnlyList<ProjectionMethod> Fallbacks { get; init; } = [];

    /// <summary>The chain as the CLI writes it (<c>markers+align</c>).</summary>
    public string Name => string.Join('+', new[] { Method }.Concat(Fallbacks).Select(m => m.ToString().ToLowerInvariant()));

    /// <summary>Parses <c>markers</c>, <c>align</c>, <c>segments</c> or a chain of them joined by <c>+</c>; names <c>--projection</c> on error.</summary>
    public static ProjectionOptions Parse(string chain, MarkerStyle style)
    {
        var methods = chain.Split('+', StringSplitOptions.TrimEntries).Select(m => m.ToLowerInvariant() switch
        {
            "markers" => ProjectionMethod.Markers, "align" => ProjectionMethod.Align, "segments" => ProjectionMethod.Segments,
            _ => throw new BioNerException($"--projection: unknown method '{m}' in '{chain}' (markers, align, segments, or a chain such as markers+align+segments)"),
        }).ToList();
        if (methods.Distinct().Count() != methods.Count) throw new BioNerException($"--projection: '{chain}' names a method twice");
        return new ProjectionOptions { Method = methods[0], Fallbacks = methods.Skip(1).ToList(), MarkerStyle = style };
    }

    /// <summary>Marker style for <see cref="ProjectionMethod.Markers"/>.</summary>
    public MarkerStyle MarkerStyle { get; init; } = MarkerStyle.Brackets;

    /// <summary>Defaults: bracket markers.</summary>
    public static ProjectionOptions Default { get; } = new();
}

/// <summary>A translated corpus and what happened on the way.</summary>
/// <param name="Corpus">The kept sentences, translated, with projected IOB2 labels (ids and document ids kept).</param>
/// <param name="Report">The counts.</param>
public sealed record CorpusTranslationResult(Corpus Corpus, TranslationReport Report);

/// <summary>
/// Translates an annotated corpus into another language with its labels following their words: each sentence is
/// sent with its entities marked (<see cref="Markers"/>, read back by <see cref="MarkerParser"/>) or plainly with its
/// entities translated apart (<see cref="AlignProjection"/>), or piece by piece (<see cref="SegmentProjection"/>), or
/// a chain of these, each on what the ones before lost. Sentences whose labels cannot be projected with
/// certainty are dropped and counted in the <see cref="TranslationReport"/>, never kept with doubtful labels.
/// </summary>
public static class CorpusTranslator
{
    /// <summary>Translates <paramref name="corpus"/> with <paramref name="translator"/>; <paramref name="progress"/> counts texts sent.</summary>
    public static async Task<CorpusTranslationResult> TranslateAsync(Corpus corpus, Translator translator, ProjectionOptions? options = null,
        Action<TranslationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= ProjectionOptions.Default;
        var types = corpus.EntityTypes();
        var chain = new[] { options.Method }.Concat(options.Fallbacks).ToList();
        var report = new TranslationReport
        {
            Backend = translator.Backend.Name, Source = translator.Options.Source, Target = translator.Options.Target,
            Projection = options.Name,
            MarkerStyle = chain.Contains(ProjectionMethod.Markers) ? options.MarkerStyle.ToString().ToLowerInvariant() : null,
        };
        int requests = translator.Requests, retries = translator.Retries, hits = translator.CacheHits, sent = translator.BackendTexts;
        var outcomes = new Outcome[corpus.Sentences.Count];
        var todo = Enumerable.Range(0, corpus.Sentences.Count).ToList();
        foreach (var method in chain)
        {
            var done = await ProjectAsync(method, corpus, todo, translator, options.MarkerStyle, types, progress, cancellationToken).ConfigureAwait(false);
            bool fallback = method != options.Method;
            for (int k = 0; k < todo.Count; k++)
            {
                var o = done[k];
                if (fallback && o.Result.Kept)
                    o = o with { Result = o.Result with { Repairs = [.. o.Result.Repairs, method == ProjectionMethod.Align ? ProjectionRepair.AlignFallback : ProjectionRepair.SegmentsFallback] } };
                if (!fallback || o.Result.Kept) outcomes[todo[k]] = o;
            }
            todo = todo.Where(i => !outcomes[i].Result.Kept).ToList();
            if (todo.Count == 0) break;
        }
        var kept = new List<Sentence>();
        for (int i = 0; i < corpus.Sentences.Count; i++)
        {
            var o = outcomes[i];
            var spans = Schemes.Spans(corpus.Sentences[i].Labels);
            report.Add(i, spans.Select(sp => sp.Type).ToList(), spans.Select(sp => Markers.Join(corpus.Sentences[i], sp.Start, sp.End)).ToList(),
                o.Result, o.Sent, o.Received);
            if (o.Result.Kept) kept.Add(Translated(corpus.Sentences[i], o.Result));
        }
        report.Requests = translator.Requests - requests;
        report.Retries = translator.Retries - retries;
        report.CacheHits = translator.CacheHits - hits;
        report.Texts = report.CacheHits + translator.BackendTexts - sent;
        return new(new Corpus(kept, corpus.Source), report);
    }

    /// <summary>One sentence's projection with the text sent and the engine's answer, for the report.</summary>
    private sealed record Outcome(ProjectionResult Result, string Sent, string Received);

    private static Task<Outcome[]> ProjectAsync(ProjectionMethod method, Corpus corpus, IReadOnlyList<int> indices, Translator translator,
        MarkerStyle style, IReadOnlyList<string> types, Action<TranslationProgress>? progress, CancellationToken ct) => method switch
    {
        ProjectionMethod.Markers => ByMarkersAsync(corpus, indices, translator, style, types, progress, ct),
        ProjectionMethod.Align => ByAlignmentAsync(corpus, indices, translator, progress, ct),
        _ => BySegmentsAsync(corpus, indices, translator, progress, ct),
    };

    private static async Task<Outcome[]> ByMarkersAsync(Corpus corpus, IReadOnlyList<int> indices, Translator translator, MarkerStyle style,
        IReadOnlyList<string> types, Action<TranslationProgress>? progress, CancellationToken ct)
    {
        Markers.CheckTypes(types, style);
        bool escape = style == MarkerStyle.Xml && translator.Backend.XmlAware;
        var texts = indices.Select(i => Markers.Encode(corpus.Sentences[i], style, escape)).ToList();
        var translations = await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var outcomes = new Outcome[indices.Count];
        for (int k = 0; k < indices.Count; k++)
        {
            var context = MarkerContext.For(corpus.Sentences[indices[k]], types, style, escape);
            outcomes[k] = new(MarkerParser.Parse(translations[k], context), texts[k], translations[k]);
        }
        return outcomes;
    }

    /// <summary>Projects the sentences at <paramref name="indices"/> piece by piece (<see cref="SegmentProjection"/>).</summary>
    private static async Task<Outcome[]> BySegmentsAsync(Corpus corpus, IReadOnlyList<int> indices, Translator translator,
        Action<TranslationProgress>? progress, CancellationToken ct)
    {
        var pieces = indices.Select(i => SegmentProjection.Pieces(corpus.Sentences[i])).ToList();
        var texts = pieces.SelectMany(p => p.Select(x => x.Text)).ToList();
        var translations = texts.Count == 0 ? [] : await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var outcomes = new Outcome[indices.Count];
        int next = 0;
        for (int k = 0; k < indices.Count; k++)
        {
            var translated = translations.Skip(next).Take(pieces[k].Count).ToList();
            next += pieces[k].Count;
            outcomes[k] = new(SegmentProjection.Project(pieces[k], translated), string.Join(" | ", pieces[k].Select(p => p.Text)), string.Join(" | ", translated));
        }
        return outcomes;
    }

    /// <summary>Projects the sentences at <paramref name="indices"/> by alignment; one outcome per index, in order.</summary>
    private static async Task<Outcome[]> ByAlignmentAsync(Corpus corpus, IReadOnlyList<int> indices, Translator translator,
        Action<TranslationProgress>? progress, CancellationToken ct)
    {
        var sentences = indices.Select(i => corpus.Sentences[i]).ToList();
        var spans = sentences.Select(s => Schemes.Spans(s.Labels)).ToList();
        var texts = sentences.Select(s => Markers.Join(s)).ToList();
        for (int i = 0; i < sentences.Count; i++)
            texts.AddRange(spans[i].Select(sp => Markers.Join(sentences[i], sp.Start, sp.End)));
        var translations = sentences.Count == 0 ? [] : await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var outcomes = new Outcome[sentences.Count];
        int next = sentences.Count;
        for (int i = 0; i < sentences.Count; i++)
        {
            var entities = spans[i].Select(sp => new AlignedEntity(sp.Type, translations[next++])).ToList();
            outcomes[i] = new(AlignProjection.Project(translations[i], entities), texts[i], translations[i]);
        }
        return outcomes;
    }

    private static Sentence Translated(Sentence source, ProjectionResult result) =>
        new(result.Words, result.Labels) { Id = source.Id, DocumentId = source.DocumentId, SourceLine = source.SourceLine };
}
