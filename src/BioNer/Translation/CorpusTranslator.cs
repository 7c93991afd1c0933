using BioNer.Data;

namespace BioNer.Translation;

/// <summary>How <see cref="CorpusTranslator"/> carries labels into the translation.</summary>
public sealed record ProjectionOptions
{
    /// <summary>Markers (default) or align.</summary>
    public ProjectionMethod Method { get; init; } = ProjectionMethod.Markers;

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
/// entities translated apart (<see cref="AlignProjection"/>), or first the one and then, for what it lost, the other. Sentences whose labels cannot be projected with
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
        bool markers = options.Method != ProjectionMethod.Align;
        var report = new TranslationReport
        {
            Backend = translator.Backend.Name, Source = translator.Options.Source, Target = translator.Options.Target,
            Projection = options.Method == ProjectionMethod.MarkersThenAlign ? "markers+align" : options.Method.ToString().ToLowerInvariant(),
            MarkerStyle = markers ? options.MarkerStyle.ToString().ToLowerInvariant() : null,
        };
        int requests = translator.Requests, retries = translator.Retries, hits = translator.CacheHits, sent = translator.BackendTexts;
        var all = Enumerable.Range(0, corpus.Sentences.Count).ToList();
        var outcomes = markers
            ? await ByMarkersAsync(corpus, translator, options.MarkerStyle, types, progress, cancellationToken).ConfigureAwait(false)
            : await ByAlignmentAsync(corpus, all, translator, progress, cancellationToken).ConfigureAwait(false);
        if (options.Method == ProjectionMethod.MarkersThenAlign)
        {
            var lost = all.Where(i => !outcomes[i].Result.Kept).ToList();
            var aligned = await ByAlignmentAsync(corpus, lost, translator, progress, cancellationToken).ConfigureAwait(false);
            for (int k = 0; k < lost.Count; k++)
                if (aligned[k].Result is { Kept: true } r)
                    outcomes[lost[k]] = aligned[k] with { Result = r with { Repairs = [.. r.Repairs, ProjectionRepair.AlignFallback] } };
        }
        var kept = new List<Sentence>();
        for (int i = 0; i < corpus.Sentences.Count; i++)
        {
            var o = outcomes[i];
            report.Add(i, Schemes.Spans(corpus.Sentences[i].Labels).Select(sp => sp.Type).ToList(), o.Result, o.Sent, o.Received);
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

    private static async Task<Outcome[]> ByMarkersAsync(Corpus corpus, Translator translator, MarkerStyle style,
        IReadOnlyList<string> types, Action<TranslationProgress>? progress, CancellationToken ct)
    {
        Markers.CheckTypes(types, style);
        bool escape = style == MarkerStyle.Xml && translator.Backend.XmlAware;
        var texts = corpus.Sentences.Select(s => Markers.Encode(s, style, escape)).ToList();
        var translations = await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var outcomes = new Outcome[corpus.Sentences.Count];
        for (int i = 0; i < corpus.Sentences.Count; i++)
        {
            var context = MarkerContext.For(corpus.Sentences[i], types, style, escape);
            outcomes[i] = new(MarkerParser.Parse(translations[i], context), texts[i], translations[i]);
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
