using BioNer.Checkpoints;
using BioNer.Inference;
using BioNer.Tokenization;
using BioNer.Training;

namespace BioNer.Tests.Inference;

/// <summary>
/// <see cref="NerPipeline.Decode"/>, the decoder every evaluation uses: no word dropped however long the sentence, and
/// its loss equals the loss of the training encoding (<see cref="WordEncoder"/> → <see cref="Collator"/> →
/// <see cref="Modeling.TokenClassifier.Forward(EncodedBatch, bool)"/>) on the same words.
/// </summary>
public class WordDecoderTests
{
    private static readonly string ModelDir = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    [Fact]
    public void Decode_SentenceLongerThanAWindow_LabelsEveryWordFromTheLexicon()
    {
        var lexicon = new Dictionary<string, string> { ["aspirin"] = "B-Chemical", ["Pax6"] = "B-Gene" };
        var words = Enumerable.Range(0, 40).Select(i => i % 7 == 3 ? "aspirin" : i % 11 == 5 ? "Pax6" : $"w{i}").ToArray();
        var scorer = new DictionaryScorer(lexicon, maxSubTokens: 6);
        using var pipeline = new NerPipeline(scorer, new NerOptions { Stride = 2 });

        var labels = Assert.Single(pipeline.Decode([words]).Labels);

        Assert.Equal(words.Select(w => lexicon.GetValueOrDefault(w, "O")), labels);
        Assert.True(scorer.WindowLengths.Count > 5, $"only {scorer.WindowLengths.Count} windows");
        Assert.All(scorer.WindowLengths, n => Assert.InRange(n, 1, 6));
    }

    [Fact]
    public void Decode_SentenceLevelStrategy_IsRefusedClearly()
    {
        using var pipeline = new NerPipeline(new DictionaryScorer([]));
        var e = Assert.Throws<BioNerException>(() => pipeline.Decode([["a"]], new WordDecoding { Strategy = AggregationStrategy.Simple }));
        Assert.Contains("word-level strategy (first, max, average)", e.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Decode_WithGold_LossEqualsTheTrainingEncodingsLoss(bool labelAllTokens)
    {
        string[] words = ["Mutations", "in", "BRCA1", "cause", "tumours", "in", "mice", "treated", "with", "tamoxifen", "."];
        var tokenizer = HfTokenizer.Load(ModelDir);
        using var model = CheckpointLoader.Load(ModelDir);
        var labels = model.Config.Labels;
        int[] gold = [0, 0, 5, 0, 0, 0, 9, 0, 0, 1, 0];
        Func<int, int> toInside = id => labels[id].StartsWith("B-", StringComparison.Ordinal) ? labels.ToList().IndexOf("I-" + labels[id][2..]) : id;
        var batch = Collator.Pad(WordEncoder.Encode(tokenizer, words, gold, 0, 128, labelAllTokens, toInside), tokenizer.PadId);
        double expected;
        using (TorchSharp.torch.NewDisposeScope())
        using (TorchSharp.torch.inference_mode())
        {
            model.eval();
            expected = model.Forward(batch, withLabels: true).Loss!.item<float>();
        }

        using var pipeline = new NerPipeline(new TorchTokenScorer(model, tokenizer, ownsModel: false));
        var decoded = pipeline.Decode([words], new WordDecoding { Gold = [gold], LabelAllTokens = labelAllTokens });

        Assert.Equal(expected, decoded.Loss!.Value, 5);
        Assert.Equal(words.Length, decoded.Labels[0].Length);
    }
}
