using BioNer.Data;
using BioNer.Inference;
using TorchSharp;

namespace BioNer.Tests.Inference;

/// <summary>The pipeline over the real (tiny, random-weight) RoBERTa fixture: offsets, windows, batching, memory.</summary>
public class TorchPipelineTests
{
    private static readonly string ModelDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Fact]
    public void Score_TrickyTextWithRealTokenizer_PiecesTileEachWord()
    {
        string text = "Naïve\tBRCA1-mutant 🧬 cells\r\nreceived α-synuclein (10 µM) 😀 again.";
        using var pipeline = NerPipeline.Load(ModelDir);
        var doc = pipeline.Score([text])[0];
        var words = WordTokenizer.Tokenize(text);
        Assert.Equal(words, doc.Words);
        int w = -1;
        foreach (var t in doc.Tokens)
        {
            if (!t.IsSubword) Assert.Equal(words[++w].Start, t.Start);
            Assert.InRange(t.Start, words[w].Start, words[w].End);
            Assert.InRange(t.End, t.Start, words[w].End);
            Assert.Equal(13, t.Probabilities.Length);
            Assert.Equal(1.0, t.Probabilities.Sum(), 4);
        }
        Assert.Equal(words.Count - 1, w);
        foreach (var s in AggregationStrategies.Names)
            foreach (var e in doc.Entities(AggregationStrategies.Parse(s))) Assert.Equal(text[e.Start..e.End], e.Text);
    }

    [Fact]
    public void Score_TextAloneOrPaddedInBatch_SameProbabilities()
    {
        using var pipeline = NerPipeline.Load(ModelDir, new NerOptions { BatchSize = 4 });
        string shortText = "Aspirin inhibits COX-1.";
        string longText = string.Join(" ", Enumerable.Repeat("The Pax6 gene in mice and zebrafish.", 3));
        var alone = pipeline.Score([shortText])[0];
        var batched = pipeline.Score([longText, shortText])[1];
        for (int i = 0; i < alone.Tokens.Count; i++)
            for (int l = 0; l < 13; l++) Assert.Equal(alone.Tokens[i].Probabilities[l], batched.Tokens[i].Probabilities[l], 4);
    }

    [Fact]
    public void Predict_DocumentOfManyWindows_EveryWordOnceAndNoTensorLeak()
    {
        // The fixture takes 128 positions (126 sub-tokens per window); this run-on text needs many windows.
        string text = string.Join(" ", Enumerable.Range(0, 600).Select(i => i % 5 == 0 ? $"gene{i}" : "mutations"));
        using var pipeline = NerPipeline.Load(ModelDir, new NerOptions { Stride = 32 });
        Assert.Equal(126, pipeline.WindowSubTokens);
        pipeline.Score([text]); // warm-up
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        var doc = pipeline.Score([text])[0];
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.Equal(doc.Words.Select(w => w.Start), doc.Tokens.Where(t => !t.IsSubword).Select(t => t.Start));
        Assert.True(pipeline.WindowsScored >= 2 * 10);
    }
}
