using System.Text.Encodings.Web;
using System.Text.Json;
using BioNer.IO;

namespace BioNer.Data;

/// <summary>
/// Writes JSON Lines that HuggingFace <c>datasets.load_dataset("json", ...)</c> reads: per sentence
/// <c>{"id", "document_id"?, "tokens", "ner_tags", "offsets"?}</c>; tags are strings, or integers when
/// <see cref="WriteOptions.LabelNames"/> is set. Non-ASCII text is written as is (UTF-8), not escaped.
/// </summary>
public static class JsonlWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="corpus"/> to <paramref name="path"/> atomically.</summary>
    public static void Write(Corpus corpus, string path, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        var index = options.LabelNames?.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        AtomicFile.Write(path, stream =>
        {
            for (int s = 0; s < corpus.Sentences.Count; s++)
            {
                using (var w = new Utf8JsonWriter(stream, JsonOptions)) WriteSentence(w, corpus.Sentences[s], s, options.Scheme, index);
                stream.WriteByte((byte)'\n');
            }
        });
    }

    private static void WriteSentence(Utf8JsonWriter w, Sentence sentence, int s, TaggingScheme scheme, Dictionary<string, int>? index)
    {
        w.WriteStartObject();
        w.WriteString("id", sentence.Id ?? s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (sentence.DocumentId is { } doc) w.WriteString("document_id", doc);
        w.WriteStartArray("tokens");
        foreach (var word in sentence.Words) w.WriteStringValue(word);
        w.WriteEndArray();
        w.WriteStartArray("ner_tags");
        foreach (var label in Schemes.FromIob2(sentence.Labels, scheme))
        {
            if (index is null) w.WriteStringValue(label);
            else if (index.TryGetValue(label, out int id)) w.WriteNumberValue(id);
            else throw new BioNerException($"sentence {s + 1}: label '{label}' is not among the label names given for integer tags");
        }
        w.WriteEndArray();
        if (sentence.Offsets is { } offsets)
        {
            w.WriteStartArray("offsets");
            foreach (var (start, end) in offsets)
            {
                w.WriteStartArray();
                w.WriteNumberValue(start);
                w.WriteNumberValue(end);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
