using System.Text.Encodings.Web;
using System.Text.Json;

namespace BioNer.Tokenization;

/// <summary>
/// Generates the HF tokenizer files a source folder lacked, so a saved model loads everywhere: transformers.js reads
/// only <c>tokenizer.json</c>, and transformers' AutoTokenizer wants <c>tokenizer_config.json</c> to pick the class.
/// The JSON mirrors what <c>tokenizers</c> itself writes for RoBERTa (ByteLevel + RobertaProcessing) and BERT
/// (BertNormalizer + BertPreTokenizer + TemplateProcessing).
/// </summary>
internal static class TokenizerJsonWriter
{
    private static readonly JsonWriterOptions Options =
        new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The generated files (name → UTF-8 bytes) for each of the three JSON files not in <paramref name="present"/>.</summary>
    public static IEnumerable<(string Name, byte[] Content)> MissingFiles(TokenizerSpec spec, IEnumerable<string> present)
    {
        var have = present.ToHashSet();
        if (!have.Contains(TokenizerLoader.TokenizerJson)) yield return (TokenizerLoader.TokenizerJson, Write(w => TokenizerJson(w, spec)));
        if (!have.Contains(TokenizerLoader.ConfigJson)) yield return (TokenizerLoader.ConfigJson, Write(w => Config(w, spec)));
        if (!have.Contains(TokenizerLoader.SpecialMapJson)) yield return (TokenizerLoader.SpecialMapJson, Write(w => SpecialMap(w, spec)));
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, Options)) body(w);
        return stream.ToArray();
    }

    private static bool IsBpe(TokenizerSpec spec) => spec.Kind == TokenizerKind.ByteLevelBpe;

    private static void SpecialMap(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject();
        if (IsBpe(spec))
        {
            w.WriteString("bos_token", spec.Cls);
            w.WriteString("eos_token", spec.Sep);
        }
        w.WriteString("cls_token", spec.Cls);
        w.WriteString("sep_token", spec.Sep);
        w.WriteString("pad_token", spec.Pad);
        w.WriteString("unk_token", spec.Unk);
        w.WriteString("mask_token", spec.Mask);
        w.WriteEndObject();
    }

    private static void Config(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject();
        w.WriteString("tokenizer_class", IsBpe(spec) ? "RobertaTokenizer" : "BertTokenizer");
        w.WriteNumber("model_max_length", spec.ModelMaxLength);
        if (IsBpe(spec)) w.WriteBoolean("add_prefix_space", spec.AddPrefixSpace);
        else
        {
            w.WriteBoolean("do_lower_case", spec.Lowercase);
            w.WriteBoolean("strip_accents", spec.StripAccents);
            w.WriteBoolean("tokenize_chinese_chars", spec.HandleChineseChars);
        }
        w.WriteEndObject();
        // special_tokens_map.json carries the token names; keeping them in one place avoids two diverging copies.
    }

    private static void TokenizerJson(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (var a in spec.AddedTokens.OrderBy(a => a.Id)) AddedToken(w, a);
        w.WriteEndArray();
        if (IsBpe(spec)) ByteLevelPipeline(w, spec); else BertPipeline(w, spec);
        w.WriteEndObject();
    }

    private static void AddedToken(Utf8JsonWriter w, AddedToken a)
    {
        w.WriteStartObject();
        w.WriteNumber("id", a.Id);
        w.WriteString("content", a.Content);
        w.WriteBoolean("single_word", false);
        w.WriteBoolean("lstrip", a.LStrip);
        w.WriteBoolean("rstrip", a.RStrip);
        w.WriteBoolean("normalized", false);
        w.WriteBoolean("special", a.Special);
        w.WriteEndObject();
    }

    private static void ByteLevelPipeline(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteNull("normalizer");
        w.WritePropertyName("pre_tokenizer");
        ByteLevel(w, spec.AddPrefixSpace);
        w.WriteStartObject("post_processor");
        w.WriteString("type", "RobertaProcessing");
        w.WriteStartArray("sep"); w.WriteStringValue(spec.Sep); w.WriteNumberValue(spec.IdOf(spec.Sep)); w.WriteEndArray();
        w.WriteStartArray("cls"); w.WriteStringValue(spec.Cls); w.WriteNumberValue(spec.IdOf(spec.Cls)); w.WriteEndArray();
        w.WriteBoolean("trim_offsets", true);
        w.WriteBoolean("add_prefix_space", spec.AddPrefixSpace);
        w.WriteEndObject();
        w.WritePropertyName("decoder");
        ByteLevel(w, true);
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", "");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        Vocab(w, spec);
        w.WriteStartArray("merges");
        foreach (var m in spec.Merges!) w.WriteStringValue(m);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void ByteLevel(Utf8JsonWriter w, bool addPrefixSpace)
    {
        w.WriteStartObject();
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", addPrefixSpace);
        w.WriteBoolean("trim_offsets", true);
        w.WriteBoolean("use_regex", true);
        w.WriteEndObject();
    }

    private static void BertPipeline(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject("normalizer");
        w.WriteString("type", "BertNormalizer");
        w.WriteBoolean("clean_text", true);
        w.WriteBoolean("handle_chinese_chars", spec.HandleChineseChars);
        w.WriteBoolean("strip_accents", spec.StripAccents);
        w.WriteBoolean("lowercase", spec.Lowercase);
        w.WriteEndObject();
        w.WriteStartObject("pre_tokenizer");
        w.WriteString("type", "BertPreTokenizer");
        w.WriteEndObject();
        BertTemplate(w, spec);
        w.WriteStartObject("decoder");
        w.WriteString("type", "WordPiece");
        w.WriteString("prefix", spec.ContinuingSubwordPrefix);
        w.WriteBoolean("cleanup", true);
        w.WriteEndObject();
        w.WriteStartObject("model");
        w.WriteString("type", "WordPiece");
        w.WriteString("unk_token", spec.Unk);
        w.WriteString("continuing_subword_prefix", spec.ContinuingSubwordPrefix);
        w.WriteNumber("max_input_chars_per_word", spec.MaxInputCharsPerWord);
        Vocab(w, spec);
        w.WriteEndObject();
    }

    /// <summary>[CLS] A [SEP] for one sequence, [CLS] A [SEP] B [SEP] (type ids 0…0 1…1) for a pair, as BERT's.</summary>
    private static void BertTemplate(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject("post_processor");
        w.WriteString("type", "TemplateProcessing");
        w.WriteStartArray("single");
        Piece(w, "SpecialToken", spec.Cls, 0); Piece(w, "Sequence", "A", 0); Piece(w, "SpecialToken", spec.Sep, 0);
        w.WriteEndArray();
        w.WriteStartArray("pair");
        Piece(w, "SpecialToken", spec.Cls, 0); Piece(w, "Sequence", "A", 0); Piece(w, "SpecialToken", spec.Sep, 0);
        Piece(w, "Sequence", "B", 1); Piece(w, "SpecialToken", spec.Sep, 1);
        w.WriteEndArray();
        w.WriteStartObject("special_tokens");
        foreach (var token in new[] { spec.Cls, spec.Sep })
        {
            w.WriteStartObject(token);
            w.WriteString("id", token);
            w.WriteStartArray("ids"); w.WriteNumberValue(spec.IdOf(token)); w.WriteEndArray();
            w.WriteStartArray("tokens"); w.WriteStringValue(token); w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Piece(Utf8JsonWriter w, string kind, string id, int typeId)
    {
        w.WriteStartObject();
        w.WriteStartObject(kind);
        w.WriteString("id", id);
        w.WriteNumber("type_id", typeId);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void Vocab(Utf8JsonWriter w, TokenizerSpec spec)
    {
        w.WriteStartObject("vocab");
        foreach (var (token, id) in spec.Vocab.OrderBy(kv => kv.Value)) w.WriteNumber(token, id);
        w.WriteEndObject();
    }
}
