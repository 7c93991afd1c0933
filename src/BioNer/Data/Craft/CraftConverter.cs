namespace BioNer.Data.Craft;

/// <summary>The three splits of a converted CRAFT corpus and the counts of the conversion.</summary>
/// <param name="Train">Training sentences (document order, then sentence order).</param>
/// <param name="Dev">Development sentences.</param>
/// <param name="Test">Test sentences.</param>
/// <param name="Report">Per-tag mention counts over all three splits.</param>
/// <param name="OfficialSplit">True when the split came from CRAFT's <c>articles/ids/craft-ids-*.txt</c>; false when
/// the deterministic fallback of <see cref="CraftConverter.SplitIds"/> was used.</param>
public sealed record CraftSplits(Corpus Train, Corpus Dev, Corpus Test, ConversionReport Report, bool OfficialSplit);

/// <summary>
/// Converts a CRAFT v5 checkout (standoff Knowtator concept annotations over plain-text articles) into IOB2 sentence
/// corpora with character offsets and document ids, ready for token-classification training.
/// <para>Layout read: <c>articles/txt/&lt;id&gt;.txt</c>; <c>concept-annotation/&lt;ONT&gt;/&lt;ONT&gt;[+extensions]/knowtator/&lt;id&gt;.txt.knowtator.xml</c>
/// for every ontology in <see cref="CraftOptions.TagMap"/>; <c>structural-annotation/dependency/conllu/&lt;id&gt;.conllu</c>
/// (sentences and tokens; when absent, a simple fallback segmenter is used); <c>articles/ids/craft-ids-{train,dev,test}.txt</c>.</para>
/// <para>Policies, applied in this order and counted in <see cref="ConversionReport"/>: annotations without a span are
/// dropped; discontinuous mentions follow <see cref="CraftOptions.Discontinuous"/> (default: dropped); of mentions with
/// identical extents one survives — same tag: a duplicate, different tags: the tag earlier in
/// <see cref="CraftOptions.TypePriority"/>; mentions not inside one treebank sentence are dropped; of nested or crossing
/// mentions the longest outer span is kept (ties: earlier start, then priority). A kept mention edge inside a token
/// re-splits that token with <see cref="WordTokenizer"/> (letter/digit runs, single punctuation marks) and at the edge
/// itself if it still falls inside a run. Sentence ids are <c>&lt;article id&gt;-&lt;sentence index&gt;</c>.</para>
/// </summary>
public sealed class CraftConverter
{
    /// <summary>Creates a converter; <paramref name="options"/> defaults to <see cref="CraftOptions"/>'s defaults.</summary>
    public CraftConverter(CraftOptions? options = null) => Options = options ?? new CraftOptions();

    /// <summary>The settings in use.</summary>
    public CraftOptions Options { get; }

    /// <summary>Converts every article of the checkout at <paramref name="craftFolder"/> into train/dev/test corpora.</summary>
    /// <exception cref="BioNerException">A folder or file is missing or malformed (the message names it).</exception>
    public CraftSplits Convert(string craftFolder)
    {
        var (train, dev, test, official) = SplitIds(craftFolder);
        var report = new ConversionReport();
        Corpus Build(IReadOnlyList<string> ids, string name) => new(
            ids.Where(id => Options.Documents is null || Options.Documents.Contains(id))
                .SelectMany(id => ConvertDocument(craftFolder, id, report)).ToList(),
            $"{Path.GetFullPath(craftFolder)} ({name})");
        return new CraftSplits(Build(train, "train"), Build(dev, "dev"), Build(test, "test"), report, official);
    }

    /// <summary>Converts one article into labelled sentences, adding its counts to <paramref name="report"/>.</summary>
    /// <exception cref="BioNerException">The article's text or one of its annotation files is missing or malformed.</exception>
    public IReadOnlyList<Sentence> ConvertDocument(string craftFolder, string documentId, ConversionReport report)
    {
        string textPath = Path.Combine(craftFolder, "articles", "txt", documentId + ".txt");
        if (!File.Exists(textPath)) throw new BioNerException($"CRAFT article text not found for '{documentId}'", textPath);
        string text = File.ReadAllText(textPath);
        string conllu = Path.Combine(craftFolder, "structural-annotation", "dependency", "conllu", documentId + ".conllu");
        List<SpanSentence> sentences;
        if (File.Exists(conllu)) sentences = CraftSegmenter.FromConllu(conllu, text);
        else
        {
            sentences = CraftSegmenter.Fallback(text);
            report.FallbackSegmented++;
        }
        var mentions = ReadMentions(craftFolder, documentId, text);
        var kept = MentionResolver.Resolve(mentions, sentences, Options, report);
        report.Documents++;
        return sentences.Select((s, i) => SentenceLabeler.Label(text, s, i, kept, documentId, report)).ToList();
    }

    /// <summary>
    /// The article ids of each split. Official: the ids listed in <c>articles/ids/craft-ids-{train,dev,test}.txt</c>
    /// (one per line, blank lines ignored). Fallback when any of the three files is missing: all ids of
    /// <c>articles/txt/*.txt</c> sorted ordinally, the one at index i going to dev when <c>i % 10 == 8</c>, to test
    /// when <c>i % 10 == 9</c>, else to train (80/10/10, stable across machines and runs).
    /// </summary>
    /// <exception cref="BioNerException">A split file lists an id without an article text (file and line named).</exception>
    public static (IReadOnlyList<string> Train, IReadOnlyList<string> Dev, IReadOnlyList<string> Test, bool Official)
        SplitIds(string craftFolder)
    {
        string idsDir = Path.Combine(craftFolder, "articles", "ids");
        string[] files = ["train", "dev", "test"];
        var paths = files.Select(f => Path.Combine(idsDir, $"craft-ids-{f}.txt")).ToArray();
        if (paths.All(File.Exists))
        {
            var lists = paths.Select(p => ReadIdFile(craftFolder, p)).ToArray();
            return (lists[0], lists[1], lists[2], true);
        }
        var all = DocumentIds(craftFolder);
        return (all.Where((_, i) => i % 10 < 8).ToList(), all.Where((_, i) => i % 10 == 8).ToList(),
                all.Where((_, i) => i % 10 == 9).ToList(), false);
    }

    /// <summary>All article ids of the checkout (names of <c>articles/txt/*.txt</c> without extension), sorted ordinally.</summary>
    /// <exception cref="BioNerException">The folder is not a CRAFT checkout.</exception>
    public static IReadOnlyList<string> DocumentIds(string craftFolder)
    {
        string txt = Path.Combine(craftFolder, "articles", "txt");
        if (!Directory.Exists(txt)) throw new BioNerException("not a CRAFT checkout: articles/txt is missing", craftFolder);
        return Directory.EnumerateFiles(txt, "*.txt").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The Knowtator file of <paramref name="ontology"/> for one article under the current options.</summary>
    public string AnnotationPath(string craftFolder, string ontology, string documentId)
    {
        string set = Options.UseExtensions ? ontology + "+extensions" : ontology;
        return Path.Combine(craftFolder, "concept-annotation", ontology, set, "knowtator", documentId + ".txt.knowtator.xml");
    }

    private List<(KnowtatorMention, string)> ReadMentions(string craftFolder, string documentId, string text)
    {
        var result = new List<(KnowtatorMention, string)>();
        foreach (var (ontology, tag) in Options.TagMap.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string path = AnnotationPath(craftFolder, ontology, documentId);
            if (!File.Exists(path))
                throw new BioNerException($"annotation file of ontology '{ontology}' for article '{documentId}' not found", path);
            foreach (var m in KnowtatorReader.Read(path))
            {
                var bad = m.Spans.FirstOrDefault(s => s.End > text.Length);
                if (bad != default)
                    throw new BioNerException(
                        $"span {bad.Start}-{bad.End} of '{m.Id}' lies beyond the article text ({text.Length} chars)", path, m.Line);
                result.Add((m, tag));
            }
        }
        return result;
    }

    private static List<string> ReadIdFile(string craftFolder, string path)
    {
        var ids = new List<string>();
        int line = 0;
        foreach (string raw in File.ReadLines(path))
        {
            line++;
            string id = raw.Trim();
            if (id.Length == 0) continue;
            if (!File.Exists(Path.Combine(craftFolder, "articles", "txt", id + ".txt")))
                throw new BioNerException($"split lists article '{id}' but articles/txt/{id}.txt does not exist", path, line);
            ids.Add(id);
        }
        return ids;
    }
}
