namespace BioNer.Tokenization;

/// <summary>
/// A padded batch ready to become tensors: every array is row-major (B, T) with B = <paramref name="BatchSize"/> and
/// T = <paramref name="SeqLen"/>, as <c>torch.tensor(array).view(B, T)</c> expects. Longs because embedding lookups and
/// cross-entropy targets take int64.
/// </summary>
/// <param name="InputIds">(B, T) token ids, <c>pad</c> after each sequence's end.</param>
/// <param name="AttentionMask">(B, T) 1 for real positions, 0 for padding.</param>
/// <param name="TokenTypeIds">(B, T) all 0 (single-sequence inputs; BERT needs them, RoBERTa ignores them).</param>
/// <param name="Labels">(B, T) label ids, -100 for ignored and padded positions.</param>
/// <param name="BatchSize">B, the number of sequences.</param>
/// <param name="SeqLen">T, the padded length.</param>
public sealed record EncodedBatch(long[] InputIds, long[] AttentionMask, long[] TokenTypeIds, long[] Labels,
                                  int BatchSize, int SeqLen)
{
    /// <summary>Number of real (non-pad) positions, i.e. the sum of the attention mask.</summary>
    public long RealTokens => AttentionMask.Sum();
}

/// <summary>
/// Dynamic padding, as HF's <c>DataCollatorForTokenClassification</c>: a batch is padded only to its own longest
/// sequence (optionally rounded up to a multiple, which tensor cores like), not to the model's maximum length.
/// </summary>
public static class Collator
{
    /// <summary>Pads <paramref name="seqs"/> on the right into one (B, T) batch: ids with <paramref name="padId"/>,
    /// attention 0, labels -100.</summary>
    /// <param name="seqs">At least one sequence.</param>
    /// <param name="padId">The tokenizer's <see cref="HfTokenizer.PadId"/>.</param>
    /// <param name="padToMultipleOf">Round T up to a multiple of this (1 = no rounding).</param>
    public static EncodedBatch Pad(IReadOnlyList<EncodedSequence> seqs, int padId, int padToMultipleOf = 1)
    {
        ArgumentNullException.ThrowIfNull(seqs);
        if (seqs.Count == 0) throw new ArgumentException("a batch needs at least one sequence", nameof(seqs));
        if (padToMultipleOf < 1) throw new ArgumentOutOfRangeException(nameof(padToMultipleOf), "must be at least 1");
        int longest = seqs.Max(s => s.Length);
        int t = (longest + padToMultipleOf - 1) / padToMultipleOf * padToMultipleOf;
        int b = seqs.Count;
        var ids = new long[b * t];
        var mask = new long[b * t];
        var labels = new long[b * t];
        Array.Fill(ids, padId);
        Array.Fill(labels, WordEncoder.IgnoreIndex);
        for (int row = 0; row < b; row++)
        {
            var s = seqs[row];
            int offset = row * t;
            for (int j = 0; j < s.Length; j++)
            {
                ids[offset + j] = s.InputIds[j];
                mask[offset + j] = 1;
                labels[offset + j] = s.LabelIds[j];
            }
        }
        return new EncodedBatch(ids, mask, new long[b * t], labels, b, t);
    }

    /// <summary>
    /// Pads bare id sequences (inference: no words, no labels) into one (B, T) batch exactly as <see cref="Pad"/> does;
    /// every label is −100.
    /// </summary>
    /// <param name="ids">At least one sequence of token ids, specials included.</param>
    /// <param name="padId">The tokenizer's <see cref="HfTokenizer.PadId"/>.</param>
    public static EncodedBatch PadIds(IReadOnlyList<int[]> ids, int padId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var ignored = ids.Select((s, i) =>
        {
            var labels = new int[s.Length];
            Array.Fill(labels, WordEncoder.IgnoreIndex);
            return new EncodedSequence(s, new int[s.Length], labels, i, 0, 0);
        }).ToList();
        return Pad(ignored, padId);
    }
}
