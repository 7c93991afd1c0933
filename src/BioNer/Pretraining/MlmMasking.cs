using BioNer.Tokenization;

namespace BioNer.Pretraining;

/// <summary>
/// Masking as HF's collators do it: <c>DataCollatorForLanguageModeling</c> chooses each non-special token with
/// probability <see cref="MlmOptions.MlmProbability"/>; <c>DataCollatorForWholeWordMask</c> chooses whole words in a
/// shuffled order until round(length × probability) tokens are covered (at most 512). Of the chosen tokens 80% become
/// the mask token, 10% a random vocabulary id and 10% stay; the labels are the original ids there and −100 elsewhere.
/// Special tokens (CLS, SEP, PAD, UNK, MASK) are never chosen. Why a <see cref="Random"/> per batch: the masks are a
/// pure function of (seed, epoch, batch), so a resumed run masks exactly as an uninterrupted one.
/// </summary>
public sealed class MlmMasking
{
    private const int MaxPredictions = 512;
    private readonly HfTokenizer _tokenizer;
    private readonly HashSet<int> _special;
    private readonly double _probability;
    private readonly bool _wholeWords;

    /// <summary>Masking for <paramref name="tokenizer"/>'s vocabulary; it must have a mask token.</summary>
    public MlmMasking(HfTokenizer tokenizer, double probability, bool wholeWords)
    {
        _tokenizer = tokenizer;
        if (tokenizer.MaskId < 0) throw new BioNerException("the tokenizer has no mask token, so it cannot be pretrained with masked-LM");
        _special = new[] { tokenizer.ClsId, tokenizer.SepId, tokenizer.PadId, tokenizer.UnkId, tokenizer.MaskId }.Where(i => i >= 0).ToHashSet();
        _probability = probability;
        _wholeWords = wholeWords;
    }

    /// <summary>The deterministic generator of one batch's masks.</summary>
    public static Random BatchRandom(long seed, int epoch, int batch) =>
        new(unchecked((int)(seed * 1_000_003 + epoch * 10_007 + batch * 7_919 + 17)));

    /// <summary>
    /// The model input and labels for <paramref name="ids"/> (one sequence, specials included): input with the
    /// chosen tokens replaced, labels = original id at chosen positions, −100 elsewhere.
    /// </summary>
    public (int[] Input, int[] Labels) Mask(int[] ids, Random rng)
    {
        var chosen = _wholeWords ? WholeWords(ids, rng) : ids.Select(id => !_special.Contains(id) && rng.NextDouble() < _probability).ToArray();
        var input = (int[])ids.Clone();
        var labels = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            if (!chosen[i] || _special.Contains(ids[i]))
            {
                labels[i] = WordEncoder.IgnoreIndex;
                continue;
            }
            labels[i] = ids[i];
            double u = rng.NextDouble();
            if (u < 0.8) input[i] = _tokenizer.MaskId;
            else if (u < 0.9) input[i] = rng.Next(_tokenizer.VocabSize);
        }
        return (input, labels);
    }

    /// <summary>
    /// Whole-word choice: words are runs of non-special tokens where a token continues the previous one when it is a
    /// WordPiece <c>##</c> continuation, or, for byte-level BPE, when it does not start with <c>Ġ</c> (a space).
    /// </summary>
    private bool[] WholeWords(int[] ids, Random rng)
    {
        var words = Words(ids);
        for (int i = words.Count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (words[i], words[j]) = (words[j], words[i]);
        }
        int target = Math.Min(MaxPredictions, Math.Max(1, (int)Math.Round(ids.Length * _probability, MidpointRounding.ToEven)));
        var chosen = new bool[ids.Length];
        int covered = 0;
        foreach (var word in words)
        {
            if (covered >= target) break;
            if (covered + word.Count > target) continue;
            foreach (int i in word) chosen[i] = true;
            covered += word.Count;
        }
        return chosen;
    }

    /// <summary>The words of a sequence as lists of positions (specials excluded), in order.</summary>
    public List<List<int>> Words(int[] ids)
    {
        bool bpe = _tokenizer.Kind == TokenizerKind.ByteLevelBpe;
        var words = new List<List<int>>();
        bool afterSpecial = true;
        for (int i = 0; i < ids.Length; i++)
        {
            if (_special.Contains(ids[i]))
            {
                afterSpecial = true;
                continue;
            }
            string token = _tokenizer.IdToToken(ids[i]) ?? "";
            bool continues = !afterSpecial && words.Count > 0 && (bpe ? !token.StartsWith('Ġ') : token.StartsWith("##", StringComparison.Ordinal));
            if (continues) words[^1].Add(i);
            else words.Add([i]);
            afterSpecial = false;
        }
        return words;
    }
}
