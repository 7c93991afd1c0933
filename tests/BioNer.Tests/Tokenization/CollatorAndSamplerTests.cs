using BioNer.Tokenization;

namespace BioNer.Tests.Tokenization;

public class CollatorAndSamplerTests
{
    private static EncodedSequence Seq(params int[] ids) =>
        new(ids, ids.Select((_, i) => i - 1).ToArray(), ids.Select(i => i * 10).ToArray(), 0, 0, ids.Length);

    [Fact]
    public void Pad_TwoSequences_PadsToLongestRowMajor()
    {
        var b = Collator.Pad([Seq(5, 6, 7), Seq(8, 9)], padId: 1);
        Assert.Equal((2, 3), (b.BatchSize, b.SeqLen));
        Assert.Equal(new long[] { 5, 6, 7, 8, 9, 1 }, b.InputIds);
        Assert.Equal(new long[] { 1, 1, 1, 1, 1, 0 }, b.AttentionMask);
        Assert.Equal(new long[] { 50, 60, 70, 80, 90, -100 }, b.Labels);
        Assert.Equal(new long[6], b.TokenTypeIds);
        Assert.Equal(5, b.RealTokens);
    }

    [Fact]
    public void Pad_MultipleOf8_RoundsSeqLenUp()
    {
        var b = Collator.Pad([Seq(5, 6, 7)], padId: 0, padToMultipleOf: 8);
        Assert.Equal(8, b.SeqLen);
        Assert.Equal(new long[] { 70, -100, -100, -100, -100, -100 }, b.Labels[2..]);
        Assert.Throws<ArgumentException>(() => Collator.Pad([], 0));
    }

    private static int[] Lengths(int n, int seed)
    {
        var r = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => r.Next(5, 129)).ToArray();
    }

    [Fact]
    public void Batches_SameSeed_SameBatchesAndEveryIndexOnce()
    {
        var lengths = Lengths(1000, 1);
        var a = LengthGroupedSampler.Batches(lengths, 16, new Random(42));
        var b = LengthGroupedSampler.Batches(lengths, 16, new Random(42));
        var c = LengthGroupedSampler.Batches(lengths, 16, new Random(43));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Equal(Enumerable.Range(0, 1000), a.SelectMany(x => x).Order());
        Assert.All(a, batch => Assert.InRange(batch.Length, 1, 16));
        Assert.Equal(lengths.Max(), lengths[a[0][0]]); // longest first, as HF does to surface OOM at step one
    }

    [Fact]
    public void Batches_VersusRandomBatching_FarLessPadding()
    {
        var lengths = Lengths(4000, 2);
        long grouped = LengthGroupedSampler.PaddingTokens(lengths, LengthGroupedSampler.Batches(lengths, 32, new Random(0)));
        long random = LengthGroupedSampler.PaddingTokens(lengths, LengthGroupedSampler.RandomBatches(lengths.Length, 32, new Random(0)));
        Assert.True(grouped * 5 < random, $"grouped {grouped} vs random {random}");
    }

    [Fact]
    public void PaddingTokens_KnownBatches_CountsPadPositions()
    {
        int[] lengths = [3, 5, 2, 2];
        Assert.Equal(2 + 0 + 0, LengthGroupedSampler.PaddingTokens(lengths, [[0, 1], [2, 3]]));
        Assert.Equal(3 + 1, LengthGroupedSampler.PaddingTokens(lengths, [[0, 2], [1, 3]]));
    }
}
