namespace BioNer.Tokenization;

/// <summary>
/// Orders training sequences into batches of similar length so dynamic padding wastes little compute, while staying
/// random enough for SGD — HF Trainer's <c>group_by_length</c> (<c>LengthGroupedSampler</c>): shuffle all indices,
/// cut them into "mega-batches" of <c>multiplier × batchSize</c>, sort each mega-batch by length (longest first) and
/// cut it into batches. The batch holding the longest sequence goes first, so an out-of-memory shows up at step one.
/// Deterministic for a given <see cref="Random"/> seed.
/// </summary>
public static class LengthGroupedSampler
{
    /// <summary>
    /// Batches of indices into <paramref name="lengths"/>, every index exactly once. The mega-batch multiplier is
    /// HF's: <c>min(n / (4 × batchSize), maxMultiplier)</c>, at least 1.
    /// </summary>
    /// <param name="lengths">Per sequence, its length in tokens.</param>
    /// <param name="batchSize">Sequences per batch (the last batch of a mega-batch may be smaller).</param>
    /// <param name="random">Source of the shuffle; seed it for reproducible epochs.</param>
    /// <param name="maxMultiplier">Upper bound on mega-batch size in batches (HF uses 50).</param>
    public static IReadOnlyList<int[]> Batches(IReadOnlyList<int> lengths, int batchSize, Random random, int maxMultiplier = 50)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        int n = lengths.Count;
        int multiplier = Math.Max(1, Math.Min(n / (batchSize * 4), maxMultiplier));
        int megaSize = multiplier * batchSize;
        var order = Shuffled(n, random);
        var megas = new List<int[]>();
        for (int i = 0; i < n; i += megaSize)
            megas.Add(order.Skip(i).Take(megaSize).OrderByDescending(k => lengths[k]).ToArray()); // stable sort
        if (megas.Count > 1)
        {
            int longest = Enumerable.Range(0, megas.Count).MaxBy(m => lengths[megas[m][0]]);
            (megas[0][0], megas[longest][0]) = (megas[longest][0], megas[0][0]);
        }
        return megas.SelectMany(m => m.Chunk(batchSize)).ToList();
    }

    /// <summary>Plain shuffled batches (HF's RandomSampler): the baseline group-by-length is compared with.</summary>
    public static IReadOnlyList<int[]> RandomBatches(int count, int batchSize, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return Shuffled(count, random).Chunk(batchSize).ToList();
    }

    /// <summary>
    /// Pad positions a batching computes with dynamic padding: per batch, longest × size − sum of lengths. The waste
    /// that length grouping is meant to cut.
    /// </summary>
    public static long PaddingTokens(IReadOnlyList<int> lengths, IEnumerable<IReadOnlyList<int>> batches)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(batches);
        long pad = 0;
        foreach (var batch in batches)
        {
            if (batch.Count == 0) continue;
            long max = 0, sum = 0;
            foreach (int i in batch) { max = Math.Max(max, lengths[i]); sum += lengths[i]; }
            pad += max * batch.Count - sum;
        }
        return pad;
    }

    private static int[] Shuffled(int n, Random random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        random.Shuffle(order);
        return order;
    }
}
