using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;
using BioNer.IO;
using Microsoft.ML.Tokenizers;

namespace BioNer.Tokenization;

/// <summary>
/// A HuggingFace-compatible tokenizer for RoBERTa (byte-level BPE) and BERT (WordPiece) checkpoints, built on
/// Microsoft.ML.Tokenizers. Why a wrapper: the ids must equal what Python <c>transformers</c> gives for the same folder
/// (the model's embeddings were trained on them), special tokens must be resolved from the HF side files, and
/// NER needs the <c>is_split_into_words=True</c> encoding (<see cref="EncodeWords"/>) that the library lacks.
/// </summary>
public sealed class HfTokenizer
{
    private const int MaxCachedWords = 200_000;

    private readonly TokenizerSpec _spec;
    private readonly Tokenizer _model;
    private readonly Regex? _addedPattern;
    private readonly Dictionary<string, AddedToken> _addedByContent;
    private readonly Dictionary<int, string> _idToToken;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);

    private HfTokenizer(TokenizerSpec spec)
    {
        _spec = spec;
        _model = spec.Kind == TokenizerKind.ByteLevelBpe ? CreateBpe(spec) : CreateBert(spec);
        _addedByContent = spec.AddedTokens.GroupBy(a => a.Content).ToDictionary(g => g.Key, g => g.First());
        _addedPattern = _addedByContent.Count == 0 ? null : new Regex(
            string.Join("|", _addedByContent.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)),
            RegexOptions.CultureInvariant);
        _idToToken = new Dictionary<int, string>();
        foreach (var (token, id) in spec.Vocab) _idToToken.TryAdd(id, token);
        foreach (var a in spec.AddedTokens) _idToToken.TryAdd(a.Id, a.Content);
        ClsId = RequireId(spec.Cls, "cls_token");
        SepId = RequireId(spec.Sep, "sep_token");
        PadId = RequireId(spec.Pad, "pad_token");
        UnkId = RequireId(spec.Unk, "unk_token");
        MaskId = TokenToId(spec.Mask) ?? -1;
        VocabSize = _idToToken.Keys.Max() + 1;
    }

    /// <summary>Byte-level BPE (RoBERTa) or WordPiece (BERT).</summary>
    public TokenizerKind Kind => _spec.Kind;

    /// <summary>Id of the sequence-start token (<c>&lt;s&gt;</c> / <c>[CLS]</c>), put before every encoded sequence.</summary>
    public int ClsId { get; }

    /// <summary>Id of the sequence-end token (<c>&lt;/s&gt;</c> / <c>[SEP]</c>), put after every encoded sequence.</summary>
    public int SepId { get; }

    /// <summary>Id used to pad batches (<c>&lt;pad&gt;</c> / <c>[PAD]</c>); RoBERTa's position ids also depend on it.</summary>
    public int PadId { get; }

    /// <summary>Id of the unknown token; also stands in for a word that yields no sub-tokens at all.</summary>
    public int UnkId { get; }

    /// <summary>Id of the mask token, or -1 when the vocabulary has none.</summary>
    public int MaskId { get; }

    /// <summary>Number of ids (largest id + 1, added tokens included): HF's <c>len(tokenizer)</c>, the embedding rows.</summary>
    public int VocabSize { get; }

    /// <summary>
    /// <c>model_max_length</c> from tokenizer_config.json: the longest sequence (specials included) the model takes.
    /// When absent, or HF's "unknown" sentinel (1e30), it is 512, the position limit of BERT and RoBERTa.
    /// </summary>
    public int ModelMaxLength => _spec.ModelMaxLength;

    /// <summary>Whether WordPiece lowercases (uncased models); always false for byte-level BPE.</summary>
    public bool Lowercase => _spec.Lowercase;

    /// <summary>
    /// Loads the tokenizer of a HuggingFace model folder, looking (in this order) for <c>tokenizer.json</c>,
    /// <c>vocab.json</c> + <c>merges.txt</c> (byte-level BPE) and <c>vocab.txt</c> (WordPiece; casing from
    /// tokenizer_config.json <c>do_lower_case</c>, default true). Special tokens come from tokenizer_config.json,
    /// special_tokens_map.json and tokenizer.json's added_tokens.
    /// </summary>
    /// <exception cref="BioNerException">The folder is missing or holds none of these files, or a file is malformed.</exception>
    public static HfTokenizer Load(string modelDir) => new(TokenizerLoader.Load(modelDir));

    /// <summary>
    /// Builds a WordPiece (BERT) tokenizer from a vocabulary held in memory, one token per id in order — what a
    /// <c>vocab.txt</c> holds. Why: importers of models that ship their vocabulary another way (e.g. embedded resources)
    /// get the same behaviour and can <see cref="SaveTo"/> a normal HF folder.
    /// </summary>
    public static HfTokenizer FromWordPieceVocab(IReadOnlyList<string> vocab, bool lowercase = true, int modelMaxLength = 512)
    {
        var files = new Dictionary<string, byte[]>
        {
            [TokenizerLoader.VocabTxt] = Encoding.UTF8.GetBytes(string.Join("\n", vocab) + "\n"),
            [TokenizerLoader.ConfigJson] = Encoding.UTF8.GetBytes(
                $"{{\"do_lower_case\": {(lowercase ? "true" : "false")}, \"model_max_length\": {modelMaxLength}}}"),
        };
        var spec = TokenizerLoader.FromFiles("<in-memory vocabulary>", files);
        files.Remove(TokenizerLoader.ConfigJson); // SaveTo writes a complete one.
        return new HfTokenizer(spec);
    }

    /// <summary>
    /// Encodes raw text to ids exactly as HF <c>tokenizer(text)["input_ids"]</c>: added/special tokens written in the
    /// text are kept whole, and with <paramref name="addSpecialTokens"/> the result is wrapped in CLS … SEP.
    /// </summary>
    public int[] Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 3 + 2);
        if (addSpecialTokens) ids.Add(ClsId);
        AppendText(text, ids, prefixSpace: _spec.AddPrefixSpace);
        if (addSpecialTokens) ids.Add(SepId);
        return ids.ToArray();
    }

    /// <summary>
    /// Per word, the sub-token ids HF gives with <c>is_split_into_words=True</c> (no specials): for byte-level BPE
    /// every word gets a prefix space (RoBERTa's <c>add_prefix_space=True</c>), for WordPiece each word goes through
    /// BERT basic tokenization then WordPiece. A word that yields no sub-token (a lone control character) gets
    /// <see cref="UnkId"/> so that no word ever disappears from the alignment. Results are cached per word.
    /// </summary>
    /// <returns>One array per input word, each with at least one id; an empty list gives an empty array.</returns>
    public int[][] EncodeWords(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        var result = new int[words.Count][];
        for (int i = 0; i < words.Count; i++) result[i] = EncodeWord(words[i]);
        return result;
    }

    /// <summary>The id of a token string (vocabulary or added token), or null when it has none.</summary>
    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var a) ? a.Id : _spec.Vocab.TryGetValue(token, out int id) ? id : null;

    /// <summary>The token string of an id (byte-level BPE shows its <c>Ġ</c>-style symbols), or null for an unused id.</summary>
    public string? IdToToken(int id) => _idToToken.GetValueOrDefault(id);

    /// <summary>
    /// Writes the tokenizer files into <paramref name="dir"/> so that it reloads here, in Python transformers
    /// (<c>AutoTokenizer.from_pretrained</c>) and in transformers.js: the files it was loaded from are copied unchanged,
    /// and a <c>tokenizer.json</c>, <c>tokenizer_config.json</c> and <c>special_tokens_map.json</c> are generated when
    /// the source lacked them (transformers.js reads only tokenizer.json). Each file is written atomically.
    /// </summary>
    public void SaveTo(string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new Dictionary<string, byte[]>(_spec.SourceFiles);
        foreach (var (name, content) in TokenizerJsonWriter.MissingFiles(_spec, files.Keys))
            files[name] = content;
        foreach (var (name, bytes) in files) AtomicFile.WriteAllBytes(Path.Combine(dir, name), bytes);
    }

    private int[] EncodeWord(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (_wordCache.TryGetValue(word, out var cached)) return cached;
        var ids = new List<int>(4);
        AppendText(word, ids, prefixSpace: _spec.Kind == TokenizerKind.ByteLevelBpe);
        if (ids.Count == 0) ids.Add(UnkId);
        var arr = ids.ToArray();
        if (_wordCache.Count < MaxCachedWords) _wordCache.TryAdd(word, arr);
        return arr;
    }

    /// <summary>
    /// Splits out added tokens (longest first, left to right, honouring lstrip/rstrip) and runs the sub-word model on
    /// the text between them — the order HF's tokenizers pipeline uses.
    /// </summary>
    private void AppendText(string text, List<int> ids, bool prefixSpace)
    {
        if (_addedPattern is null)
        {
            AppendModel(text, ids, prefixSpace);
            return;
        }
        int cursor = 0;
        foreach (Match m in _addedPattern.Matches(text))
        {
            if (m.Index < cursor) continue; // inside whitespace an rstrip token already absorbed
            var token = _addedByContent[m.Value];
            int end = m.Index;
            if (token.LStrip) while (end > cursor && char.IsWhiteSpace(text[end - 1])) end--;
            AppendModel(text[cursor..end], ids, prefixSpace);
            ids.Add(token.Id);
            cursor = m.Index + m.Length;
            if (token.RStrip) while (cursor < text.Length && char.IsWhiteSpace(text[cursor])) cursor++;
        }
        AppendModel(text[cursor..], ids, prefixSpace);
    }

    private void AppendModel(string text, List<int> ids, bool prefixSpace)
    {
        if (text.Length == 0) return;
        if (_model is BertTokenizer bert)
        {
            // Accents are stripped here, not by the library: its NFD step is a no-op under invariant globalization.
            if (_spec.StripAccents) text = AccentStripper.Strip(text);
            ids.AddRange(bert.EncodeToIds(text, addSpecialTokens: false));
            return;
        }
        // HF ByteLevel(add_prefix_space=True) adds the space only when the text does not already start with one.
        if (prefixSpace && text[0] != ' ') text = " " + text;
        ids.AddRange(_model.EncodeToIds(text));
    }

    private int RequireId(string token, string field) =>
        TokenToId(token) ?? throw new BioNerException(
            $"special token '{token}' ({field}) is not in the vocabulary", Path.Combine(_spec.Origin, "tokenizer_config.json"));

    private static BpeTokenizer CreateBpe(TokenizerSpec spec) =>
        BpeTokenizer.Create(new BpeOptions(spec.Vocab)
        {
            Merges = spec.Merges,
            ByteLevel = true,
            PreTokenizer = RobertaPreTokenizer.Instance,
        });

    private static BertTokenizer CreateBert(TokenizerSpec spec)
    {
        // Ids are line numbers of the vocab stream; ids no token owns (a repeated or empty line in vocab.txt) get a
        // placeholder that basic tokenization can never produce, so every other token keeps its HF id.
        var byId = new string?[spec.Vocab.Values.Max() + 1];
        foreach (var (token, id) in spec.Vocab)
            if (token.Length > 0 && token.Trim() == token) byId[id] = token;
        for (int i = 0; i < byId.Length; i++) byId[i] ??= $"[bioner unused {i}]";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join("\n", byId) + "\n"));
        return BertTokenizer.Create(stream, new BertOptions
        {
            LowerCaseBeforeTokenization = spec.Lowercase,
            RemoveNonSpacingMarks = false, // done by AccentStripper
            IndividuallyTokenizeCjk = spec.HandleChineseChars,
            ApplyBasicTokenization = true,
            SplitOnSpecialTokens = false, // added tokens are split out before the model runs (AppendText)
            UnknownToken = spec.Unk,
            ClassificationToken = spec.Cls,
            SeparatorToken = spec.Sep,
            PaddingToken = spec.Pad,
            MaskingToken = spec.Mask,
            ContinuingSubwordPrefix = spec.ContinuingSubwordPrefix,
            MaxInputCharsPerWord = spec.MaxInputCharsPerWord,
        });
    }
}
