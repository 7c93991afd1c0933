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
/// entities translated apart (<see cref="AlignProjection"/>). Sentences whose labels cannot be projected with
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
        var report = new TranslationReport
        {
            Backend = translator.Backend.Name, Source = translator.Options.Source, Target = translator.Options.Target,
            Projection = options.Method.ToString().ToLowerInvariant(),
            MarkerStyle = options.Method == ProjectionMethod.Markers ? options.MarkerStyle.ToString().ToLowerInvariant() : null,
        };
        int requests = translator.Requests, retries = translator.Retries, hits = translator.CacheHits, sent = translator.BackendTexts;
        var kept = options.Method == ProjectionMethod.Markers
            ? await ByMarkersAsync(corpus, translator, options.MarkerStyle, types, report, progress, cancellationToken).ConfigureAwait(false)
            : await ByAlignmentAsync(corpus, translator, report, progress, cancellationToken).ConfigureAwait(false);
        report.Requests = translator.Requests - requests;
        report.Retries = translator.Retries - retries;
        report.CacheHits = translator.CacheHits - hits;
        report.Texts = report.CacheHits + translator.BackendTexts - sent;
        return new(new Corpus(kept, corpus.Source), report);
    }

    private static async Task<List<Sentence>> ByMarkersAsync(Corpus corpus, Translator translator, MarkerStyle style,
        IReadOnlyList<string> types, TranslationReport report, Action<TranslationProgress>? progress, CancellationToken ct)
    {
        Markers.CheckTypes(types, style);
        bool escape = style == MarkerStyle.Xml && translator.Backend.XmlAware;
        var texts = corpus.Sentences.Select(s => Markers.Encode(s, style, escape)).ToList();
        var translations = await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var kept = new List<Sentence>();
        for (int i = 0; i < corpus.Sentences.Count; i++)
        {
            var source = corpus.Sentences[i];
            var context = MarkerContext.For(source, types, style, escape);
            var result = MarkerParser.Parse(translations[i], context);
            report.Add(i, context.SourceTypes, result, texts[i], translations[i]);
            if (result.Kept) kept.Add(Translated(source, result));
        }
        return kept;
    }

    private static async Task<List<Sentence>> ByAlignmentAsync(Corpus corpus, Translator translator, TranslationReport report,
        Action<TranslationProgress>? progress, CancellationToken ct)
    {
        var spans = corpus.Sentences.Select(s => Schemes.Spans(s.Labels)).ToList();
        var texts = corpus.Sentences.Select(s => Markers.Join(s)).ToList();
        for (int i = 0; i < corpus.Sentences.Count; i++)
            texts.AddRange(spans[i].Select(sp => Markers.Join(corpus.Sentences[i], sp.Start, sp.End)));
        var translations = await translator.TranslateAsync(texts, progress, ct).ConfigureAwait(false);
        var kept = new List<Sentence>();
        int next = corpus.Sentences.Count;
        for (int i = 0; i < corpus.Sentences.Count; i++)
        {
            var entities = spans[i].Select(sp => new AlignedEntity(sp.Type, translations[next++])).ToList();
            var result = AlignProjection.Project(translations[i], entities);
            report.Add(i, entities.Select(e => e.Type).ToList(), result, texts[i], translations[i]);
            if (result.Kept) kept.Add(Translated(corpus.Sentences[i], result));
        }
        return kept;
    }

    private static Sentence Translated(Sentence source, ProjectionResult result) =>
        new(result.Words, result.Labels) { Id = source.Id, DocumentId = source.DocumentId, SourceLine = source.SourceLine };
}
