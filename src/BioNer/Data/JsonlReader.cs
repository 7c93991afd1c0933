using System.Text.Json;

namespace BioNer.Data;

/// <summary>
/// Reads JSON Lines as HuggingFace <c>datasets</c> writes them (<c>Dataset.to_json</c>): one object per line with
/// <c>"tokens"</c> (strings) and <c>"ner_tags"</c> (strings, or integers indexing label names), and optionally
/// <c>"id"</c>, <c>"document_id"</c> and <c>"offsets"</c> (<c>[[start, end], ...]</c>, one pair per token). Integer
/// tags need the names: <see cref="ReadOptions.LabelNames"/>, else the <c>features.ner_tags.feature.names</c> of a
/// <c>dataset_info.json</c> next to the file. Errors name file, line and field.
/// </summary>
public static class JsonlReader
{
    /// <summary>Reads <paramref name="path"/> into a corpus (labels IOB2).</summary>
    public static Corpus Read(string path, ReadOptions? options = null) => ReadWithReport(path, options).Corpus;

    /// <summary>As <see cref="Read"/>, also returning the scheme read and repair counts.</summary>
    public static ReadResult ReadWithReport(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        return Convert(TextLines.Read(path), path, options, () => SidecarLabelNames(path, options.TagsField));
    }

    /// <summary>Parses JSON Lines held in memory; <paramref name="source"/> names it in messages.</summary>
    public static ReadResult Parse(string text, string? source = null, ReadOptions? options = null) =>
        Convert(TextLines.Split(text), source, options ?? ReadOptions.Default, () => null);

    private static ReadResult Convert(
        IEnumerable<(int Line, string Text)> lines, string? source, ReadOptions options, Func<IReadOnlyList<string>?> sidecar)
    {
        var sentences = new List<Sentence>();
        IReadOnlyList<string>? names = options.LabelNames;
        bool sidecarTried = false;
        Func<int, IReadOnlyList<string>> labelNames = line =>
        {
            if (names is null && !sidecarTried) (names, sidecarTried) = (sidecar(), true);
            return names ?? throw new BioNerException(
                $"{options.TagsField} holds integers but no label names were given (pass the label names, or put dataset_info.json next to the file)", source, line);
        };
        foreach (var (line, text) in lines)
        {
            if (string.IsNullOrWhiteSpace(text)) continue;
            sentences.Add(ParseLine(text, source, line, options, labelNames));
        }
        var (converted, report) = LabelConversion.Convert(sentences, source, options,
            (s, w) => (sentences[s].SourceLine, $"{options.TagsField}[{w}]"));
        return new ReadResult(new Corpus(converted, source), report);
    }

    private static Sentence ParseLine(string text, string? source, int line, ReadOptions o, Func<int, IReadOnlyList<string>> names)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text); }
        catch (JsonException e) { throw new BioNerException($"not valid JSON: {e.Message}", source, line, e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BioNerException($"expected a JSON object, got {root.ValueKind}", source, line);
            var tokens = StringArray(Field(root, o.TokensField, source, line), o.TokensField, source, line);
            var tags = Tags(Field(root, o.TagsField, source, line), o.TagsField, source, line, names);
            if (tags.Count != tokens.Count)
                throw new BioNerException($"{o.TagsField} has {tags.Count} items but {o.TokensField} has {tokens.Count}", source, line);
            return new Sentence(tokens, tags)
            {
                Id = OptionalString(root, "id", source, line),
                DocumentId = OptionalString(root, "document_id", source, line),
                Offsets = Offsets(root, tokens.Count, source, line),
                SourceLine = line,
            };
        }
    }

    private static JsonElement Field(JsonElement root, string name, string? source, int line) =>
        root.TryGetProperty(name, out var value) ? value : throw new BioNerException($"field '{name}' is missing", source, line);

    private static List<string> StringArray(JsonElement e, string field, string? source, int line)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new BioNerException($"{field} must be an array, got {e.ValueKind}", source, line);
        var list = new List<string>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw new BioNerException($"{field}[{list.Count}] must be a string, got {item.ValueKind}", source, line);
            list.Add(item.GetString()!);
        }
        return list;
    }

    private static List<string> Tags(JsonElement e, string field, string? source, int line, Func<int, IReadOnlyList<string>> names)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new BioNerException($"{field} must be an array, got {e.ValueKind}", source, line);
        if (e.GetArrayLength() == 0 || e[0].ValueKind == JsonValueKind.String) return StringArray(e, field, source, line);
        var list = new List<string>();
        foreach (var item in e.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int id))
                throw new BioNerException($"{field}[{list.Count}] must be an integer like the first tag, got {item.GetRawText()}", source, line);
            var n = names(line);
            if (id < 0 || id >= n.Count)
                throw new BioNerException($"{field}[{list.Count}] = {id} is out of range for {n.Count} label names", source, line);
            list.Add(n[id]);
        }
        return list;
    }

    private static string? OptionalString(JsonElement root, string name, string? source, int line)
    {
        if (!root.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        return v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => throw new BioNerException($"{name} must be a string or number, got {v.ValueKind}", source, line),
        };
    }

    private static IReadOnlyList<(int Start, int End)>? Offsets(JsonElement root, int count, string? source, int line)
    {
        if (!root.TryGetProperty("offsets", out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != count)
            throw new BioNerException($"offsets must be an array of {count} [start, end] pairs (one per token)", source, line);
        var list = new List<(int, int)>(count);
        foreach (var pair in v.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || !pair[0].TryGetInt32(out int s) || !pair[1].TryGetInt32(out int e) || s < 0 || e < s)
                throw new BioNerException($"offsets[{list.Count}] must be [start, end] with 0 <= start <= end, got {pair.GetRawText()}", source, line);
            list.Add((s, e));
        }
        return list;
    }

    /// <summary>The ClassLabel names of <paramref name="tagsField"/> in a HuggingFace <c>dataset_info.json</c> beside <paramref name="path"/>.</summary>
    private static IReadOnlyList<string>? SidecarLabelNames(string path, string tagsField)
    {
        string info = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "dataset_info.json");
        if (!File.Exists(info)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(info));
            if (doc.RootElement.TryGetProperty("features", out var f) && f.TryGetProperty(tagsField, out var tags)
                && tags.TryGetProperty("feature", out var feature) && feature.TryGetProperty("names", out var names))
                return StringArray(names, $"features.{tagsField}.feature.names", info, 1);
            return null;
        }
        catch (JsonException e)
        {
            throw new BioNerException($"not valid JSON: {e.Message}", info, null, e);
        }
    }
}
