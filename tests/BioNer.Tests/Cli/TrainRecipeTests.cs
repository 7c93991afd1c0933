using System.Text.Json.Nodes;
using BioNer.Tests.Training;
using BioNer.Training;

namespace BioNer.Tests.Cli;

/// <summary><c>train --recipe</c>: the built-in encoder starts from its own settings, any other model from the seed's.</summary>
public class TrainRecipeTests
{
    [Theory]
    [InlineData("auto", "minilm", TrainingRecipes.SmallEncoder)]
    [InlineData("auto", " MiniLM ", TrainingRecipes.SmallEncoder)]
    [InlineData("auto", "/models/roberta-base", TrainingRecipes.Seed)]
    [InlineData("auto", "PlanTL-GOB-ES/roberta-base-biomedical-clinical-es", TrainingRecipes.Seed)]
    [InlineData("seed", "minilm", TrainingRecipes.Seed)]
    [InlineData("small-encoder", "/models/x", TrainingRecipes.SmallEncoder)]
    public void Resolve_PicksByModel(string name, string model, string expected) =>
        Assert.Equal(expected, TrainingRecipes.Resolve(name, model));

    [Fact]
    public void Resolve_UnknownName_ListsTheKnownOnes()
    {
        var e = Assert.Throws<BioNerException>(() => TrainingRecipes.Resolve("fast", "minilm"));
        Assert.Contains("auto, seed, small-encoder", e.Message);
    }

    [Fact]
    public void Options_SeedIsTheReferenceRecipe_SmallEncoderChangesOnlyLrAndHead()
    {
        Assert.Equal(new TrainingOptions(), TrainingRecipes.Options(TrainingRecipes.Seed));
        var small = TrainingRecipes.Options(TrainingRecipes.SmallEncoder);
        Assert.Equal(new TrainingOptions() with { LearningRate = 1e-4, Head = "crf" }, small);
    }

    [Fact]
    [Trait("Category", Category.Slow)]
    public void Train_RecipeThenFlags_RecordedInRunJsonAndCard()
    {
        using var dir = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(dir.File("data"), train: 8, dev: 4);
        string outDir = dir.File("run");
        var (code, stdout, stderr) = CliRunner.Run("train", "--model", TrainTestData.TinyModel, "--train", train, "--dev", dev, "--out", outDir,
            "--recipe", "small-encoder", "--epochs", "1", "--max-length", "32", "--threads", "1", "--lr", "2e-4");
        Assert.True(code == 0, stderr + stdout);
        var run = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "run.json")))!;
        Assert.Equal("small-encoder", run["recipe"]!.GetValue<string>());
        Assert.Equal("crf", run["options"]!["head"]!.GetValue<string>());
        Assert.Equal(2e-4, run["options"]!["learning_rate"]!.GetValue<double>());        // the flag beats the recipe
        Assert.Contains("Starting point: small-encoder", File.ReadAllText(Path.Combine(outDir, "README.md")));
    }

    [Theory]
    [InlineData(new string[0], 10, 1e-4, "crf")]                                 // the embedded default
    [InlineData(new[] { "--epochs", "4" }, 4, 1e-4, "crf")]                      // epochs chosen: kept
    [InlineData(new[] { "--recipe", "seed" }, 4, 3e-5, "auto")]                  // the seed's recipe: untouched
    [InlineData(new[] { "--model", "/models/other" }, 4, 3e-5, "auto")]          // another model: seed
    public void BuildRequest_BundledSample_SmallEncoderRunsMoreEpochsUnlessChosen(string[] args, int epochs, double lr, string head)
    {
        var parse = BioNer.Cli.Commands.TrainCommand.Create().Parse(args);
        Assert.Empty(parse.Errors);
        var o = BioNer.Cli.Commands.TrainCommand.BuildRequest(parse).Options;
        Assert.Equal((epochs, lr, head), (o.Epochs, o.LearningRate, o.Head));
    }

    [Fact]
    public void BuildRequest_UserData_KeepsTheRecipesEpochs()
    {
        var parse = BioNer.Cli.Commands.TrainCommand.Create().Parse(["--train", "a.conll", "--dev", "b.conll"]);
        Assert.Equal(4, BioNer.Cli.Commands.TrainCommand.BuildRequest(parse).Options.Epochs);
    }
}
