using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BioNer.Literature;

/// <summary>
/// BioC JSON as the <c>bioc</c> Python package and PubTator3 write it: a collection object
/// (<c>{"source", "date", "key", "infons", "documents": [...]}</c>; PubTator3's export names the array <c>PubTator3</c>),
/// a bare array of documents, or document objects one after another (one per line).
/// Documents are cut out of the byte stream one at a time (a small scanner tracks strings and nesting), so a large
/// collection is never parsed whole. Text units, offsets and kept annotations follow <see cref="BioCXml"/>.
/// </summary>
public static class BioCJson
{
    /// <summary>Opens a BioC JSON stream: its header (read up to <c>"documents"</c>) and a lazy sequence of documents.</summary>
    /// <exception cref="BioNerException">Malformed JSON or a malformed document, with the file and byte offset.</exception>
    public static (BioCHeader Header, IEnumerable<Document> Documents) Read(Stream stream, string source, OffsetUnit unit)
    {
        var scanner = new Scanner(stream, source);
        var first = scanner.Next();                     // reads the header fields that precede the documents
        var h = scanner.Header;
        IReadOnlyDictionary<string, string> infons;
        try { infons = h.TryGetValue("infons", out var inf) ? Infons(JsonNode.Parse(inf) as JsonObject) : Mention.EmptyInfons; }
        catch (JsonException e) { throw new BioNerException($"collection \"infons\" is not a JSON object: {e.Message}", source, inner: e); }
        var header = new BioCHeader(Str(h, "source"), Str(h, "date"), Str(h, "key"), infons);
        return (header, Documents(first, scanner, source, unit));
    }

    private static IEnumerable<Document> Documents((byte[] Bytes, long At)? first, Scanner scanner, string source, OffsetUnit unit)
    {
        for (var next = first; next is { } d; next = scanner.Next())
            yield return ToDocument(d.Bytes, d.At, source, unit);
    }

    private static string Str(Dictionary<string, byte[]> h, string key)
    {
        if (!h.TryGetValue(key, out var v)) return "";
        try { return JsonNode.Parse(v)?.GetValue<string>() ?? ""; }
        catch (Exception e) when (e is JsonException or InvalidOperationException) { return Encoding.UTF8.GetString(v); }
    }

    private static Document ToDocument(byte[] bytes, long at, string source, OffsetUnit unit)
    {
        try { return FromJson(bytes, at, source, unit); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or JsonException)
        {
            throw new BioNerException($"document at byte {at + 1}: a field has the wrong type ({e.Message})", source, inner: e);
        }
    }

    private static Document FromJson(byte[] bytes, long at, string source, OffsetUnit unit)
    {
        string where = $"document at byte {at + 1}";
        JsonObject doc;
        try { doc = JsonNode.Parse(bytes) as JsonObject ?? throw new BioNerException($"{where} is not a JSON object", source); }
        catch (JsonException e) { throw new BioNerException($"malformed JSON in the {where}: {e.Message}", source, inner: e); }
        string id = doc["id"]?.ToString() ?? throw new BioNerException($"{where} has no \"id\"", source);
        var passages = Units(doc).Select(u => ToPassage(u, $"document {id}", source, unit)).ToList();
        return new Document(id, passages) { Infons = Infons(doc["infons"] as JsonObject), BioCJson = bytes };
    }

    /// <summary>Passages with text, else their sentences, in document order (as <see cref="BioCXml.Units"/>).</summary>
    internal static IEnumerable<JsonObject> Units(JsonObject document)
    {
        foreach (var p in (document["passages"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (p["text"] is JsonValue) yield return p;
            else foreach (var s in (p["sentences"] as JsonArray ?? []).OfType<JsonObject>()) yield return s;
        }
    }

    private static Passage ToPassage(JsonObject u, string where, string source, OffsetUnit unit)
    {
        int offset = Int(u["offset"], $"{where}: passage offset", source);
        string text = u["text"]?.GetValue<string>() ?? "";
        var existing = new List<Mention>();
        foreach (var a in (u["annotations"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var infons = Infons(a["infons"] as JsonObject);
            int start = -1, end = -1;
            if ((a["locations"] as JsonArray)?.FirstOrDefault() is JsonObject loc)
            {
                int o = Int(loc["offset"], $"{where}: annotation offset", source), len = Int(loc["length"], $"{where}: annotation length", source);
                start = Offsets.ToUtf16(text, o - offset, unit);
                end = start < 0 ? -1 : Offsets.ToUtf16(text, o - offset + len, unit);
            }
            existing.Add(new Mention(infons.GetValueOrDefault("type", ""), start, end, a["text"]?.ToString() ?? "") { Infons = infons });
        }
        return new Passage(offset, text, Infons(u["infons"] as JsonObject)) { Existing = existing };
    }

    private static int Int(JsonNode? node, string what, string source)
    {
        if (node is JsonValue v && (v.TryGetValue(out int i) || (v.TryGetValue(out string? s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out i))) && i >= 0)
            return i;
        throw new BioNerException($"{what} must be a non-negative integer, got {node?.ToJsonString() ?? "nothing"}", source);
    }

    private static IReadOnlyDictionary<string, string> Infons(JsonObject? o) =>
        o is null ? Mention.EmptyInfons : o.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue v && v.TryGetValue(out string? s) ? s : kv.Value?.ToJsonString() ?? "");

    /// <summary>Writes a BioC JSON collection: header, then one document per line inside <c>"documents"</c>.</summary>
    public sealed class Writer : IDocumentWriter
    {
        private static readonly JsonSerializerOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        private readonly TextWriter _out;
        private readonly OffsetUnit _unit;
        private bool _first = true;

        /// <summary>Starts the collection object on <paramref name="output"/>.</summary>
        public Writer(TextWriter output, BioCHeader header, OffsetUnit unit)
        {
            _out = output;
            _unit = unit;
            var head = new JsonObject
            {
                ["source"] = header.Source, ["date"] = header.Date, ["key"] = header.Key,
                ["infons"] = new JsonObject(header.Infons.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
            };
            string text = head.ToJsonString(Options);
            _out.Write(text[..^1]);
            _out.Write(",\"documents\":[\n");
        }

        /// <inheritdoc />
        public void Write(Document document)
        {
            bool original = document.BioCJson is not null;
            var obj = original ? (JsonObject)JsonNode.Parse(document.BioCJson!)! : Build(document);
            var units = Units(obj).ToList();
            int next = NextId(obj);
            for (int i = 0; i < units.Count && i < document.Passages.Count; i++)
            {
                var p = document.Passages[i];
                var mentions = original ? p.Predicted : p.KeptAndPredicted();
                if (mentions.Count == 0) continue;
                if (units[i]["annotations"] is not JsonArray list) units[i]["annotations"] = list = [];
                foreach (var m in mentions) list.Add(Annotation((next++).ToString(CultureInfo.InvariantCulture), p, m));
            }
            if (!_first) _out.Write(",\n");
            _first = false;
            _out.Write(obj.ToJsonString(Options));
        }

        private JsonObject Annotation(string id, Passage p, Mention m)
        {
            var infons = new JsonObject { ["type"] = m.Type };
            foreach (var (k, v) in Passage.OutputInfons(m)) infons[k] = v;
            if (m.Score is { } s) infons["score"] = s.ToString("0.######", CultureInfo.InvariantCulture);
            return new JsonObject
            {
                ["id"] = id, ["infons"] = infons, ["text"] = m.Text,
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["offset"] = p.Offset + Offsets.Length(p.Text.AsSpan(0, m.Start), _unit),
                    ["length"] = Offsets.Length(p.Text.AsSpan(m.Start, m.End - m.Start), _unit),
                }),
            };
        }

        private static JsonObject Build(Document d) => new()
        {
            ["id"] = d.Id,
            ["infons"] = Map(d.Infons),
            ["passages"] = new JsonArray(d.Passages.Select(p => (JsonNode)new JsonObject
            {
                ["offset"] = p.Offset, ["infons"] = Map(p.Infons), ["text"] = p.Text,
                ["sentences"] = new JsonArray(), ["annotations"] = new JsonArray(), ["relations"] = new JsonArray(),
            }).ToArray()),
            ["relations"] = new JsonArray(),
        };

        private static JsonObject Map(IReadOnlyDictionary<string, string> infons) =>
            new(infons.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));

        private static int NextId(JsonObject doc)
        {
            int max = 0;
            foreach (var u in (doc["passages"] as JsonArray ?? []).OfType<JsonObject>()
                         .SelectMany(p => new[] { p }.Concat((p["sentences"] as JsonArray ?? []).OfType<JsonObject>())))
                foreach (var a in (u["annotations"] as JsonArray ?? []).OfType<JsonObject>())
                    if (int.TryParse(a["id"]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) max = Math.Max(max, v);
            return max + 1;
        }

        /// <inheritdoc />
        public void Complete()
        {
            _out.Write("\n]}\n");
            _out.Flush();
        }
    }

    /// <summary>
    /// Cuts document objects out of a BioC JSON byte stream: tracks strings (with escapes) and nesting depth; at depth 1
    /// of a top-level object it records keys and keeps the header values; documents are the objects of the
    /// <c>"documents"</c> array (or of a top-level array, or the top-level object itself when it has no such array).
    /// </summary>
    private sealed class Scanner(Stream stream, string source)
    {
        private readonly byte[] _buf = new byte[1 << 16];
        private int _len, _pos;
        private long _consumed;
        private int _depth;
        private bool _inString, _escape, _started, _done, _expectKey, _awaitValue, _inDocuments;
        private char _top;
        private MemoryStream? _element, _value, _key, _whole = new();
        private long _elementAt, _wholeAt;
        private string? _currentKey;

        public Dictionary<string, byte[]> Header { get; } = new(StringComparer.Ordinal);

        public (byte[] Bytes, long At)? Next()
        {
            while (!_done)
            {
                if (_pos == _len)
                {
                    _consumed += _len;
                    _len = stream.Read(_buf, 0, _buf.Length);
                    _pos = 0;
                    if (_len == 0) return End();
                }
                var ready = Step(_buf[_pos++]);
                if (ready is not null) return ready;
            }
            return null;
        }

        private (byte[], long)? End()
        {
            _done = true;
            if (!_started) return null;              // an empty file (or only white space after the last value)
            throw new BioNerException($"JSON ends early at byte {_consumed} (depth {_depth}): the file is truncated", source);
        }

        private (byte[], long)? Step(byte b)
        {
            long at = _consumed + _pos - 1;
            if (!_started)
            {
                if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) return null;
                _started = true;
                _top = (char)b;
                if (b == '[') { _depth = 1; _whole = null; return null; }
                if (b == '{') { _depth = 1; _expectKey = true; _wholeAt = at; _whole!.WriteByte(b); return null; }
                throw new BioNerException($"BioC JSON must start with '{{' or '[', found '{(char)b}' at byte {at + 1}", source);
            }
            _whole?.WriteByte(b);
            _element?.WriteByte(b);
            _value?.WriteByte(b);
            if (_inString)
            {
                if (_escape) _escape = false;
                else if (b == '\\') _escape = true;
                else if (b == '"')
                {
                    _inString = false;
                    if (_key is not null) { _currentKey = Encoding.UTF8.GetString(_key.ToArray()); _key = null; return null; }
                }
                if (_inString) _key?.WriteByte(b);
                return null;
            }
            bool topObject = _top == '{' && _depth == 1;
            switch (b)
            {
                case (byte)'"':
                    _inString = true;
                    if (topObject && _expectKey) { _key = new MemoryStream(); _expectKey = false; }
                    else if (topObject && _awaitValue) { StartValue(b); }
                    return null;
                case (byte)':':
                    if (topObject) _awaitValue = true;
                    return null;
                case (byte)'{' or (byte)'[':
                    if (topObject && _awaitValue)
                    {
                        _awaitValue = false;
                        if (_currentKey is "documents" or "PubTator3" && b == '[') { _inDocuments = true; _whole = null; }
                        else StartValue(b);
                    }
                    else if (b == '{' && ((_top == '[' && _depth == 1) || (_inDocuments && _depth == 2)))
                    {
                        _element = new MemoryStream();
                        _element.WriteByte(b);
                        _elementAt = at;
                    }
                    _depth++;
                    return null;
                case (byte)'}' or (byte)']':
                    _depth--;
                    if (_depth < 0) throw new BioNerException($"unbalanced '{(char)b}' at byte {at + 1}", source);
                    if (_element is not null && b == '}' && _depth == (_top == '[' ? 1 : 2))
                    {
                        var doc = (_element.ToArray(), _elementAt);
                        _element = null;
                        return doc;
                    }
                    if (_inDocuments && _depth == 1 && b == ']') _inDocuments = false;
                    if (_value is not null && _depth == 1) FinishValue(trimLast: false);
                    if (_depth == 0)
                    {
                        if (_value is not null) FinishValue(trimLast: true);
                        var whole = _whole;
                        long at0 = _wholeAt;
                        // Another top-level value may follow (one BioC document per line): start over, keeping the header.
                        _started = false;
                        _whole = new MemoryStream();
                        _expectKey = _awaitValue = _inDocuments = false;
                        _currentKey = null;
                        if (whole is not null) return (whole.ToArray(), at0);   // no "documents": the object is one document
                    }
                    return null;
                case (byte)',':
                    if (topObject)
                    {
                        if (_value is not null) FinishValue(trimLast: true);
                        _expectKey = true;
                    }
                    return null;
                default:
                    if (topObject && _awaitValue && b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) StartValue(b);
                    return null;
            }
        }

        private void StartValue(byte b)
        {
            _awaitValue = false;
            _value = new MemoryStream();
            _value.WriteByte(b);
        }

        private void FinishValue(bool trimLast)
        {
            var bytes = _value!.ToArray();
            if (trimLast) bytes = bytes[..^1];
            if (_currentKey is "source" or "date" or "key" or "infons") Header[_currentKey] = bytes;
            _value = null;
        }
    }
}
