namespace BioNer.Tokenization;

/// <summary>Which sub-word algorithm a checkpoint's tokenizer uses.</summary>
public enum TokenizerKind
{
    /// <summary>GPT-2/RoBERTa byte-level BPE (<c>vocab.json</c> + <c>merges.txt</c>, or a BPE <c>tokenizer.json</c>).</summary>
    ByteLevelBpe,

    /// <summary>BERT WordPiece (<c>vocab.txt</c>, or a WordPiece <c>tokenizer.json</c>) with BERT basic tokenization.</summary>
    WordPiece,
}

/// <summary>
/// A token matched in raw text before the sub-word model runs (HF "added tokens": the specials and any user additions).
/// <paramref name="LStrip"/>/<paramref name="RStrip"/> absorb neighbouring whitespace, as RoBERTa's <c>&lt;mask&gt;</c> does.
/// </summary>
internal sealed record AddedToken(string Content, int Id, bool LStrip = false, bool RStrip = false, bool Special = true);

/// <summary>
/// Everything needed to build an <see cref="HfTokenizer"/>, gathered from whichever files a folder holds.
/// Kept as plain data so loading (file formats) and behaviour (encoding) stay in separate files.
/// </summary>
internal sealed class TokenizerSpec
{
    public required TokenizerKind Kind { get; init; }

    /// <summary>Token → id of the sub-word model (for WordPiece ids are 0..N-1 in file order).</summary>
    public required Dictionary<string, int> Vocab { get; init; }

    /// <summary>BPE merges in rank order, each "left right"; null for WordPiece.</summary>
    public List<string>? Merges { get; init; }

    public bool Lowercase { get; init; }
    public bool StripAccents { get; init; }
    public bool HandleChineseChars { get; init; } = true;
    public int MaxInputCharsPerWord { get; init; } = 100;
    public string ContinuingSubwordPrefix { get; init; } = "##";

    /// <summary>Byte-level BPE: put a space before text that does not start with one (HF <c>add_prefix_space</c>).</summary>
    public bool AddPrefixSpace { get; init; }

    public required List<AddedToken> AddedTokens { get; init; }
    public required string Cls { get; init; }
    public required string Sep { get; init; }
    public required string Pad { get; init; }
    public required string Unk { get; init; }
    public required string Mask { get; init; }
    public int ModelMaxLength { get; init; } = 512;

    /// <summary>The files the tokenizer came from (name → bytes), written back unchanged by <see cref="HfTokenizer.SaveTo"/>.</summary>
    public required Dictionary<string, byte[]> SourceFiles { get; init; }

    /// <summary>The folder it was loaded from (for messages), or a description for in-memory tokenizers.</summary>
    public required string Origin { get; init; }

    /// <summary>The id of a token: an added token's own id, else its vocabulary id.</summary>
    public int IdOf(string token) =>
        AddedTokens.FirstOrDefault(a => a.Content == token)?.Id ?? Vocab[token];
}
