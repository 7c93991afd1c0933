using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BioNer.Tokenization;

/// <summary>
/// Reads a HuggingFace tokenizer folder into a <see cref="TokenizerSpec"/>. The lookup order is the one transformers
/// uses for fast tokenizers: <c>tokenizer.json</c> first, then the slow files (<c>vocab.json</c> + <c>merges.txt</c>
/// for RoBERTa, <c>vocab.txt</c> for BERT); <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> add the
/// special-token names, casing and <c>model_max_length</c>.
/// </summary>
internal static class TokenizerLoader
{
    internal const string TokenizerJson = "tokenizer.json";
    internal const string VocabJson = "vocab.json";
    internal const string MergesTxt = "merges.txt";
    internal const string VocabTxt = "vocab.txt";
    internal const string ConfigJson = "tokenizer_config.json";
    internal const string SpecialMapJson = "special_tokens_map.json";

    public static TokenizerSpec Load(string dir)
    {
        if (!Directory.Exists(dir))
            throw new BioNerException($"tokenizer folder '{dir}' does not exist (looked for {TokenizerJson}, " +
                                      $"{VocabJson} + {MergesTxt}, {VocabTxt} in it)");
        var files = new Dictionary<string, byte[]>();
        foreach (var name in FileNames)
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path)) files[name] = File.ReadAllBytes(path);
        }
        return FromFiles(dir, files);
    }

    /// <summary>Every file a tokenizer may be made of, in the order they are looked for.</summary>
    internal static readonly string[] FileNames = [TokenizerJson, VocabJson, MergesTxt, VocabTxt, ConfigJson, SpecialMapJson];

    /// <summary>Builds the spec from file contents already in memory; <paramref name="dir"/> only names them in messages.</summary>
    public static TokenizerSpec FromFiles(string dir, Dictionary<string, byte[]> files)
    {
        var meta = new Meta(dir, ReadObject(files, dir, ConfigJson), ReadObject(files, dir, SpecialMapJson));
        if (files.ContainsKey(TokenizerJson)) return FromTokenizerJson(dir, files, meta);
        bool vj = files.ContainsKey(VocabJson), mt = files.ContainsKey(MergesTxt);
        if (vj && mt) return FromVocabAndMerges(dir, files, meta);
        if (files.ContainsKey(VocabTxt)) return FromVocabTxt(dir, files, meta);
        string partial = vj ? $" ({VocabJson} is there but {MergesTxt} is missing)"
                       : mt ? $" ({MergesTxt} is there but {VocabJson} is missing)" : "";
        throw new BioNerException($"no tokenizer in folder '{dir}': looked for {TokenizerJson}, {VocabJson} + " +
                                  $"{MergesTxt} (byte-level BPE) and {VocabTxt} (WordPiece){partial}");
    }

    /// <summary>The optional JSON side files, parsed once.</summary>
    private sealed record Meta(string Dir, JsonObject? Config, JsonObject? SpecialMap)
    {
        /// <summary>A special-token name: tokenizer_config first, then special_tokens_map, each field in order.</summary>
        public string Token(string fallback, params string[] fields)
        {
            foreach (var source in new[] { Config, SpecialMap })
                foreach (var f in fields)
                    if (source?[f] is JsonNode n && TokenContent(n) is string s) return s;
            return fallback;
        }

        public bool Flag(string field, bool fallback) =>
            Config?[field] is JsonValue v && v.TryGetValue(out bool b) ? b : fallback;

        public int MaxLength()
        {
            // HF writes int(1e30) ("VERY_LARGE_INTEGER") when the length is unknown; BERT/RoBERTa positions stop at 512.
            if (Config?["model_max_length"] is JsonValue v && v.TryGetValue(out double d) && d >= 1 && d <= 1_000_000)
                return (int)d;
            return 512;
        }
    }

    private static string? TokenContent(JsonNode n) => n switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? s) => s,
        _ => null,
    };

    private static JsonObject? ReadObject(Dictionary<string, byte[]> files, string dir, string name)
    {
        if (!files.TryGetValue(name, out var bytes)) return null;
        try
        {
            return JsonNode.Parse(bytes) as JsonObject
                   ?? throw new BioNerException("expected a JSON object", Path.Combine(dir, name));
        }
        catch (JsonException e)
        {
            throw new BioNerException($"invalid JSON: {e.Message}", Path.Combine(dir, name), (int?)(e.LineNumber + 1), e);
        }
    }

    private static TokenizerSpec FromTokenizerJson(string dir, Dictionary<string, byte[]> files, Meta meta)
    {
        string file = Path.Combine(dir, TokenizerJson);
        var root = ReadObject(files, dir, TokenizerJson)!;
        var model = root["model"] as JsonObject ?? throw new BioNerException("missing field 'model'", file);
        string type = model["type"]?.GetValue<string>() ?? "";
        var vocab = ReadVocabObject(model["vocab"] as JsonObject, file, "model.vocab");
        var added = ReadAddedTokens(root["added_tokens"] as JsonArray);
        if (type == "BPE")
        {
            var pre = root["pre_tokenizer"] as JsonObject;
            if (pre?["type"]?.GetValue<string>() != "ByteLevel")
                throw new BioNerException("only byte-level BPE (pre_tokenizer.type = ByteLevel) is supported, found " +
                                          $"'{pre?["type"]}'", file);
            bool prefix = pre["add_prefix_space"] is JsonValue p && p.TryGetValue(out bool b) && b;
            var merges = ReadMergesArray(model["merges"] as JsonArray, file);
            return Bpe(dir, files, meta, vocab, merges, added, prefix);
        }
        if (type == "WordPiece")
        {
            var norm = root["normalizer"] as JsonObject;
            bool lower = norm?["lowercase"] is JsonValue l && l.TryGetValue(out bool lb) ? lb : meta.Flag("do_lower_case", true);
            bool strip = norm?["strip_accents"] is JsonValue sa && sa.TryGetValue(out bool sb) ? sb : lower;
            bool cjk = norm?["handle_chinese_chars"] is not JsonValue c || !c.TryGetValue(out bool cb) || cb;
            int maxChars = model["max_input_chars_per_word"]?.GetValue<int>() ?? 100;
            string prefix = model["continuing_subword_prefix"]?.GetValue<string>() ?? "##";
            return WordPiece(dir, files, meta, vocab, added, lower, strip, cjk, maxChars, prefix);
        }
        throw new BioNerException($"unsupported tokenizer model type '{type}' in field model.type (supported: BPE " +
                                  "byte-level, WordPiece)", file);
    }

    private static TokenizerSpec FromVocabAndMerges(string dir, Dictionary<string, byte[]> files, Meta meta)
    {
        string vocabFile = Path.Combine(dir, VocabJson);
        var vocab = ReadVocabObject(ReadObject(files, dir, VocabJson), vocabFile, "the top-level object");
        var merges = new List<string>();
        using var reader = new StringReader(Encoding.UTF8.GetString(files[MergesTxt]));
        int lineNo = 0;
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            lineNo++;
            if (line.Length == 0 || (lineNo == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            if (line.Split(' ').Length != 2)
                throw new BioNerException("expected a merge 'left right'", Path.Combine(dir, MergesTxt), lineNo);
            merges.Add(line);
        }
        return Bpe(dir, files, meta, vocab, merges, ReadAddedTokensDecoder(meta.Config), meta.Flag("add_prefix_space", false));
    }

    private static TokenizerSpec FromVocabTxt(string dir, Dictionary<string, byte[]> files, Meta meta)
    {
        // As transformers' load_vocab: the id is the line index; a repeated token keeps its last line.
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        using var reader = new StringReader(Encoding.UTF8.GetString(files[VocabTxt]));
        int index = 0;
        for (string? line; (line = reader.ReadLine()) is not null; index++)
            vocab[line.TrimEnd('\r')] = index;
        bool lower = meta.Flag("do_lower_case", true);
        bool strip = meta.Config?["strip_accents"] is JsonValue v && v.TryGetValue(out bool b) ? b : lower;
        bool cjk = meta.Flag("tokenize_chinese_chars", true);
        return WordPiece(dir, files, meta, vocab, ReadAddedTokensDecoder(meta.Config), lower, strip, cjk, 100, "##");
    }

    private static TokenizerSpec Bpe(string dir, Dictionary<string, byte[]> files, Meta meta, Dictionary<string, int> vocab,
                                     List<string> merges, List<AddedToken> added, bool prefix) =>
        new()
        {
            Kind = TokenizerKind.ByteLevelBpe, Vocab = vocab, Merges = merges, AddPrefixSpace = prefix,
            AddedTokens = WithSpecials(added, vocab, meta, TokenizerKind.ByteLevelBpe, out var names),
            Cls = names[0], Sep = names[1], Pad = names[2], Unk = names[3], Mask = names[4],
            ModelMaxLength = meta.MaxLength(), SourceFiles = files, Origin = dir,
        };

    private static TokenizerSpec WordPiece(string dir, Dictionary<string, byte[]> files, Meta meta,
        Dictionary<string, int> vocab, List<AddedToken> added, bool lower, bool strip, bool cjk, int maxChars, string prefix) =>
        new()
        {
            Kind = TokenizerKind.WordPiece, Vocab = vocab, Lowercase = lower, StripAccents = strip,
            HandleChineseChars = cjk, MaxInputCharsPerWord = maxChars, ContinuingSubwordPrefix = prefix,
            AddedTokens = WithSpecials(added, vocab, meta, TokenizerKind.WordPiece, out var names),
            Cls = names[0], Sep = names[1], Pad = names[2], Unk = names[3], Mask = names[4],
            ModelMaxLength = meta.MaxLength(), SourceFiles = files, Origin = dir,
        };

    /// <summary>
    /// Resolves the five special-token names (cls, sep, pad, unk, mask) and makes sure each one present in the vocab is
    /// matched as a whole in raw text, as HF does for <c>all_special_tokens</c>.
    /// </summary>
    private static List<AddedToken> WithSpecials(List<AddedToken> added, Dictionary<string, int> vocab, Meta meta,
                                                 TokenizerKind kind, out string[] names)
    {
        bool bpe = kind == TokenizerKind.ByteLevelBpe;
        names =
        [
            meta.Token(bpe ? "<s>" : "[CLS]", "cls_token", "bos_token"),
            meta.Token(bpe ? "</s>" : "[SEP]", "sep_token", "eos_token"),
            meta.Token(bpe ? "<pad>" : "[PAD]", "pad_token"),
            meta.Token(bpe ? "<unk>" : "[UNK]", "unk_token"),
            meta.Token(bpe ? "<mask>" : "[MASK]", "mask_token"),
        ];
        var result = new List<AddedToken>(added);
        foreach (var name in names)
        {
            if (result.Any(a => a.Content == name) || !vocab.TryGetValue(name, out int id)) continue;
            // transformers' RobertaTokenizer declares <mask> with lstrip=True so " <mask>" keeps one token.
            result.Add(new AddedToken(name, id, LStrip: bpe && name == names[4]));
        }
        return result;
    }

    private static Dictionary<string, int> ReadVocabObject(JsonObject? obj, string file, string field)
    {
        if (obj is null) throw new BioNerException($"missing or non-object vocabulary in {field}", file);
        var vocab = new Dictionary<string, int>(obj.Count, StringComparer.Ordinal);
        foreach (var (token, value) in obj)
        {
            if (value is not JsonValue v || !v.TryGetValue(out int id) || id < 0)
                throw new BioNerException($"vocabulary entry '{token}' in {field} has no non-negative integer id", file);
            vocab[token] = id;
        }
        return vocab;
    }

    /// <summary>tokenizers before 0.20 store merges as "a b" strings, later versions as ["a", "b"] pairs.</summary>
    private static List<string> ReadMergesArray(JsonArray? arr, string file)
    {
        if (arr is null) throw new BioNerException("missing field model.merges", file);
        var merges = new List<string>(arr.Count);
        foreach (var m in arr)
        {
            merges.Add(m switch
            {
                JsonValue v when v.TryGetValue(out string? s) => s,
                JsonArray { Count: 2 } p => $"{p[0]!.GetValue<string>()} {p[1]!.GetValue<string>()}",
                _ => throw new BioNerException($"model.merges[{merges.Count}] is neither \"a b\" nor [\"a\", \"b\"]", file),
            });
        }
        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonArray? arr) =>
        arr is null ? [] : arr.OfType<JsonObject>().Select(o => ToAdded(o, o["id"]!.GetValue<int>())).ToList();

    /// <summary>transformers ≥ 4.34 lists added tokens in tokenizer_config.json as "added_tokens_decoder": {"id": {...}}.</summary>
    private static List<AddedToken> ReadAddedTokensDecoder(JsonObject? config) =>
        config?["added_tokens_decoder"] is not JsonObject dec ? []
            : dec.Where(kv => kv.Value is JsonObject && int.TryParse(kv.Key, out _))
                 .Select(kv => ToAdded((JsonObject)kv.Value!, int.Parse(kv.Key))).ToList();

    private static AddedToken ToAdded(JsonObject o, int id) =>
        new(o["content"]!.GetValue<string>(), id, Bool(o, "lstrip"), Bool(o, "rstrip"), Bool(o, "special"));

    private static bool Bool(JsonObject o, string field) => o[field] is JsonValue v && v.TryGetValue(out bool b) && b;
}
