using BioNer.Cli.Commands;

namespace BioNer.Tests.Cli;

/// <summary><c>bioner pretrain --config</c>: one file for the loop's and the data's settings, flags on top.</summary>
public class PretrainSettingsTests
{
    private static (BioNer.Training.TrainingOptions Loop, BioNer.Pretraining.MlmOptions Data) Parse(params string[] args)
    {
        var parse = PretrainCommand.Create().Parse(args);
        Assert.Empty(parse.Errors);
        return PretrainCommand.Settings(parse);
    }

    [Fact]
    public void Defaults_AreRunMlms()
    {
        var (loop, data) = Parse();
        Assert.Equal((5e-5, 3, 128), (loop.LearningRate, loop.Epochs, loop.MaxSequenceLength));
        Assert.Equal((0.15, false, 5.0), (data.MlmProbability, data.WholeWordMask, data.ValidationSplitPercentage));
    }

    [Fact]
    public void Config_SetsBothRecords_FlagsOverrideIt_MissingKeysKeepThePretrainDefaults()
    {
        using var dir = new TempDir();
        string cfg = dir.Write("pretrain.json", """
            { // comments allowed
              "learning_rate": 2e-4, "max_sequence_length": 64,
              "whole_word_mask": true, "mlm_probability": 0.2,
            }
            """);
        var (loop, data) = Parse("--config", cfg, "--mlm-probability", "0.25");
        Assert.Equal((2e-4, 64, 3), (loop.LearningRate, loop.MaxSequenceLength, loop.Epochs));
        Assert.True(data.WholeWordMask);
        Assert.Equal(0.25, data.MlmProbability);
    }

    [Theory]
    [InlineData("""{ "head": "crf" }""", "unknown key 'head'")]                 // NER-only: not a pretraining setting
    [InlineData("""{ "mlm_probabilty": 0.2 }""", "closest valid keys: mlm_probability")]
    [InlineData("""{ "epochs": "many" }""", "key 'epochs' needs a whole number (as flag --epochs)")]
    [InlineData("""[1, 2]""", "one JSON object")]
    [InlineData("""{ "epochs": """, "invalid config")]
    public void Config_BadKeyOrValue_NamesTheFileAndKey(string json, string expected)
    {
        using var dir = new TempDir();
        string cfg = dir.Write("bad.json", json);
        var e = Assert.Throws<BioNerException>(() => Parse("--config", cfg));
        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.json", e.Message);
    }
}
