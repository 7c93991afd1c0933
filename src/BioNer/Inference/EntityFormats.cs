using BioNer.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace BioNer.Inference;

/// <summary>A document with its predicted entities: the unit every output format writes.</summary>
/// <param name="Id">Document id (file name, JSONL <c>id</c>, PMID), used by BRAT/PubTator/CoNLL outputs.</param>
/// <param name="Text">The original text the entity offsets index.</param>
/// <param name="Entities">Entities in text order.</param>
public sealed record PredictedDocument(string Id, string Text, IReadOnlyList<Entity> Entities);

/// <summary>Output formats of <c>bioner predict</c>.</summary>
public enum EntityFormat
{
    /// <summary>One JSON array of <c>{id, text, entities:[{type,start,end,text,score}]}</c>.</summary>
    Json,
    /// <summary>The same objects, one per line.</summary>
    Jsonl,
    /// <summary>Word-per-line <c>word\tIOB2-label</c>, blank line between sentences, <c>-DOCSTART-</c> per document.</summary>
    Conll,
    /// <summary>BRAT standoff <c>.ann</c> lines (<c>T1\tType start end\ttext</c>); a folder output also gets the <c>.txt</c>.</summary>
    Brat,
    /// <summary>PubTator: <c>ID|t|title</c>, <c>ID|a|abstract</c>, then <c>ID\tstart\tend\ttext\ttype</c> per entity.</summary>
    Pubtator,
    /// <summary>A self-contained HTML page highlighting entities by type, with a legend.</summary>
    Html,
    /// <summary>BioC XML: the input's collection (or a new one) with BioNer's annotations added to each passage.</summary>
    BioC,
    /// <summary>BioC JSON, as the <c>bioc</c> Python package and PubTator3 write it.</summary>
    BioCJson,
}

/// <summary>
/// Writes predictions in the formats biomedical tools read. Why here and not in the CLI: the server and tests produce
/// the same bytes, and every format keeps the original offsets (line breaks become spaces where a format needs one line).
/// </summary>
public static class EntityFormats
{
    /// <summary>Parses a format name (<c>json</c>, <c>jsonl</c>, <c>conll</c>, <c>brat</c>, <c>pubtator</c>, <c>html</c>).</summary>
    public static EntityFormat Parse(string name, string field = "--format") => name.Trim().ToLowerInvariant() switch
    {
        "bioc" or "bioc-xml" => EntityFormat.BioC,
        "bioc-json" or "biocjson" => EntityFormat.BioCJson,
        var n when n.Length > 0 && !char.IsDigit(n[0]) && Enum.TryParse<EntityFormat>(n, ignoreCase: true, out var f) && Enum.IsDefined(f) => f,
        _ => throw new BioNerException($"{field}: unknown format '{name}' (expected json, jsonl, conll, brat, pubtator, bioc, bioc-json or html)"),
    };

    /// <summary>File extension (with dot) of a format's output files.</summary>
    public static string Extension(EntityFormat format) => format switch
    {
        EntityFormat.Json => ".json",
        EntityFormat.Jsonl => ".jsonl",
        EntityFormat.Conll => ".conll",
        EntityFormat.Brat => ".ann",
        EntityFormat.Pubtator => ".pubtator",
        EntityFormat.BioC => ".bioc.xml",
        EntityFormat.BioCJson => ".bioc.json",
        _ => ".html",
    };

    /// <summary>Renders <paramref name="documents"/> as one text in <paramref name="format"/>.</summary>
    public static string Render(IReadOnlyList<PredictedDocument> documents, EntityFormat format) => format switch
    {
        EntityFormat.Json => Json(documents),
        EntityFormat.Jsonl => string.Concat(documents.Select(d => JsonObject(d, indented: false) + "\n")),
        EntityFormat.Conll => string.Concat(documents.Select(Conll)),
        EntityFormat.Brat => string.Concat(documents.Select(Brat)),
        EntityFormat.Pubtator => string.Join("\n", documents.Select(PubTator)),
        EntityFormat.Html => HtmlReport.Render(documents),
        _ => throw new ArgumentException($"{format} is written from documents (BioNer.Batch.DocumentWriters), not rendered from text", nameof(format)),
    };

    /// <summary>A JSON array of documents (indented, UTF-8 characters unescaped).</summary>
    public static string Json(IReadOnlyList<PredictedDocument> documents) =>
        "[\n" + string.Join(",\n", documents.Select(d => JsonObject(d, indented: true))) + "\n]\n";

    private static readonly JsonWriterOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonWriterOptions Pretty = Compact with { Indented = true };

    /// <summary>One document as a JSON object.</summary>
    public static string JsonObject(PredictedDocument d, bool indented)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, indented ? Pretty : Compact))
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteString("text", d.Text);
            w.WritePropertyName("entities");
            WriteEntities(w, d.Entities);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Writes entities as a JSON array of <c>{type,start,end,text,score}</c> (score rounded to 6 decimals).</summary>
    public static void WriteEntities(Utf8JsonWriter w, IReadOnlyList<Entity> entities)
    {
        w.WriteStartArray();
        foreach (var e in entities)
        {
            w.WriteStartObject();
            w.WriteString("type", e.Type);
            w.WriteNumber("start", e.Start);
            w.WriteNumber("end", e.End);
            w.WriteString("text", e.Text);
            w.WriteNumber("score", Math.Round(e.Score, 6));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>
    /// CoNLL, as <see cref="ConllWriter"/> lays it out: the text re-split into words and sentences (the splitting
    /// predictions were made on), each word labelled B-/I-type when it lies inside an entity, else O, after a
    /// <c>-DOCSTART-</c> line without an id.
    /// </summary>
    public static string Conll(PredictedDocument d)
    {
        var sb = new StringBuilder();
        ConllWriter.AppendDocStart(sb, Schemes.Outside, 0);
        var sentences = LabelledSentences(d);
        for (int s = 0; s < sentences.Count; s++) ConllWriter.AppendSentence(sb, sentences[s], [sentences[s].Labels], s);
        return sb.ToString();
    }

    // The words of each sentence with their labels as they are (a word inside an entity that does not start at the
    // word's start is I-, as predicted); a text without words is one empty sentence.
    private static List<Sentence> LabelledSentences(PredictedDocument d)
    {
        var bounds = SentenceSplitter.Split(d.Text);
        var sentences = new List<Sentence>();
        List<string> words = [], labels = [];
        int s = 0;
        foreach (var (start, end) in WordTokenizer.Tokenize(d.Text))
        {
            int sentence = s;
            while (sentence < bounds.Count && start >= bounds[sentence].End) sentence++;
            if (sentence != s && words.Count > 0)
            {
                sentences.Add(new Sentence(words, labels));
                (words, labels) = ([], []);
            }
            s = sentence;
            var entity = d.Entities.FirstOrDefault(e => start >= e.Start && end <= e.End);
            string type = entity is null ? "" : Aggregation.GetTag(entity.Type).Tag;
            words.Add(d.Text[start..end]);
            labels.Add(entity is null ? Schemes.Outside : start == entity.Start ? Iob2.Begin(type) : Iob2.Inside(type));
        }
        sentences.Add(new Sentence(words, labels));
        return sentences;
    }

    /// <summary>
    /// BRAT <c>.ann</c>: an entity crossing a line break becomes a discontinuous span (<c>s1 e1;s2 e2</c>); offsets count
    /// code points, as BRAT (Python string indices) and <see cref="BratReader"/> do, so text with characters beyond the
    /// BMP (emoji, some CJK) opens with the spans in place.
    /// </summary>
    public static string Brat(PredictedDocument d)
    {
        var sb = new StringBuilder();
        var cp = BratWriter.CodePointsBefore(d.Text);
        int n = 0;
        foreach (var e in d.Entities)
        {
            var fragments = Fragments(d.Text, e.Start, e.End);
            string text = string.Join(" ", fragments.Select(f => d.Text[f.Start..f.End]));
            BratWriter.AppendTextBound(sb, ++n, Aggregation.GetTag(e.Type).Tag, fragments.Select(f => (cp[f.Start], cp[f.End])), text);
        }
        return sb.ToString();
    }

    // Pieces of [start, end) between line breaks, trimmed of the break characters.
    private static List<(int Start, int End)> Fragments(string text, int start, int end)
    {
        var result = new List<(int, int)>();
        int s = start;
        for (int i = start; i <= end; i++)
        {
            if (i < end && text[i] is not ('\n' or '\r')) continue;
            if (i > s) result.Add((s, i));
            s = i + 1;
        }
        return result.Count > 0 ? result : [(start, end)];
    }

    /// <summary>
    /// PubTator: the first line is the title, the rest the abstract; offsets are those of the original text (title,
    /// one separator, abstract), in UTF-16 units, with tabs and line breaks shown as spaces so lengths stay equal.
    /// The format itself lives in <see cref="Literature.PubTator"/>; this lays a single text out as its two passages.
    /// </summary>
    public static string PubTator(PredictedDocument d)
    {
        int nl = d.Text.IndexOf('\n');
        string title = nl < 0 ? d.Text : d.Text[..nl], @abstract = nl < 0 ? "" : d.Text[(nl + 1)..];
        var passages = Literature.Document.Consecutive(
            [(title, Literature.Mention.EmptyInfons), (@abstract, Literature.Mention.EmptyInfons)], Literature.OffsetUnit.Utf16).ToList();
        var mentions = passages.Select(_ => new List<Literature.Mention>()).ToList();
        foreach (var e in d.Entities)
        {
            int p = nl >= 0 && e.Start > nl ? 1 : 0;
            int shift = p == 1 ? nl + 1 : 0;
            mentions[p].Add(new Literature.Mention(Aggregation.GetTag(e.Type).Tag, e.Start - shift, e.End - shift, e.Text, e.Score));
        }
        var doc = new Literature.Document(d.Id, passages.Select((x, i) => x with { Predicted = mentions[i] }).ToList());
        var sb = new StringWriter();
        new Literature.PubTator.Writer(sb, Literature.OffsetUnit.Utf16).Write(doc);
        return sb.ToString();
    }
}
