using System.Text.Json;
using BioNer.Cli;
using BioNer.Data;
using BioNer.Tests.Data;
using BioNer.Training;

namespace BioNer.Tests.Recipe;

/// <summary>
/// Runs samples/recipes/two-step-transfer.sh's steps in-process (augment → translate augmented train and dev → stage 1 → 2)
/// on a 30/10-sentence slice of the bundled sample with the tiny RoBERTa fixture, Apertium (the recipe's default MT engine)
/// and the recipe's config files, and checks what each step promises; the glossary fallback is checked on its own.
/// </summary>
[Trait("Category", Category.Slow)]
public sealed class TwoStepTransferRecipeTests
{
    private static readonly string TinyModel = Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    private static string Recipes => Path.Combine(TestPaths.RepoRoot, "samples", "recipes");
    private static string Sample => Path.Combine(TestPaths.RepoRoot, "samples", "craft-sample");

    private static string Cli(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(args);
        Assert.True(code == 0, $"bioner {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }

    private static string Slice(TempDir dir, string split, int sentences)
    {
        var corpus = CorpusIO.Read(Path.Combine(Sample, split + ".conll"));
        string path = dir.File(split + ".conll");
        CorpusIO.Write(new Corpus(corpus.Sentences.Take(sentences).ToList()), path);
        return path;
    }

    /// <summary>Labels of a CoNLL file exactly as written (no reader-side scheme repair), sentence by sentence.</summary>
    private static List<List<string>> RawLabels(string conll)
    {
        var sentences = new List<List<string>> { new() };
        foreach (string line in File.ReadLines(conll))
        {
            if (line.StartsWith("-DOCSTART-", StringComparison.Ordinal)) continue;
            if (line.Length == 0) { if (sentences[^1].Count > 0) sentences.Add([]); continue; }
            sentences[^1].Add(line.Split('\t')[^1]);
        }
        return sentences.Where(s => s.Count > 0).ToList();
    }

    private static void AssertIob2(string conll)
    {
        foreach (var labels in RawLabels(conll))
            for (int i = 0; i < labels.Count; i++)
            {
                string l = labels[i];
                Assert.True(l == "O" || (l.StartsWith("B-", StringComparison.Ordinal) || l.StartsWith("I-", StringComparison.Ordinal)) && l.Length > 2,
                    $"{conll}: bad label '{l}'");
                if (l.StartsWith("I-", StringComparison.Ordinal))
                    Assert.True(i > 0 && labels[i - 1] != "O" && labels[i - 1][2..] == l[2..], $"{conll}: I- without B- ({string.Join(' ', labels)})");
            }
    }

    /// <summary>Step 2 as the script runs it when Apertium is installed.</summary>
    private static string Translate(TempDir dir, string input, string name)
    {
        string output = Cli("translate", "--in", input, "--out", dir.File(name + ".es.conll"), "--source", "en", "--target", "es",
            "--backend", "apertium", "--projection", "markers+align+segments", "--batch", "256");
        Assert.Contains("apertium:eng-spa (markers+align+segments, wordbound)", output);
        return dir.File(name + ".es.conll");
    }

    private static void AssertProjectionReport(string translated, string source)
    {
        using var report = JsonDocument.Parse(File.ReadAllText(translated + ".report.json"));
        var r = report.RootElement;
        int sentences = CorpusIO.Read(source).Sentences.Count;
        int entities = RawLabels(source).Sum(s => s.Count(l => l.StartsWith("B-", StringComparison.Ordinal)));
        Assert.Equal(sentences, r.GetProperty("sentences").GetInt32());
        Assert.Equal(entities, r.GetProperty("entities").GetInt32());
        Assert.Equal(sentences, r.GetProperty("sentences_kept").GetInt32() + r.GetProperty("sentences_dropped").GetInt32());
        Assert.Equal(entities, r.GetProperty("entities_projected").GetInt32() + r.GetProperty("entities_dropped").GetInt32());
        // The chain loses nothing Apertium translates; the translated file holds what the report says it kept.
        Assert.Equal(entities, r.GetProperty("entities_projected").GetInt32());
        var kept = RawLabels(translated);
        Assert.Equal(r.GetProperty("sentences_kept").GetInt32(), kept.Count);
        Assert.Equal(entities, kept.Sum(s => s.Count(l => l.StartsWith("B-", StringComparison.Ordinal))));
    }

    private static string[] Id2Label(string modelDir)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(modelDir, "config.json")));
        return config.RootElement.GetProperty("id2label").EnumerateObject()
            .OrderBy(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture)).Select(p => p.Value.GetString()!).ToArray();
    }

    [Fact]
    public void Recipe_SampleSliceWithTinyModel_TwoStagesAndLineageInCard()
    {
        Translation.ApertiumBackendTests.RequireApertium();
        using var dir = new TempDir();
        string train = Slice(dir, "train", 30), dev = Slice(dir, "dev", 10);

        string augmented = dir.File("train.aug.conll");
        Cli("augment", "--in", train, "--out", augmented, "--method", "mention-replacement", "--ratio", "0.2",
            "--terms", Path.Combine(Sample, "terms"), "--seed", "42", "--concat");
        Assert.Equal(60, CorpusIO.Read(augmented).Sentences.Count);   // original + one copy each

        string trainEs = Translate(dir, augmented, "train"), devEs = Translate(dir, dev, "dev");
        AssertIob2(trainEs);
        AssertIob2(devEs);
        AssertProjectionReport(trainEs, augmented);
        AssertProjectionReport(devEs, dev);
        Assert.Contains("proteína", File.ReadAllText(trainEs));        // Apertium did translate

        string stage1 = dir.File("stage1"), stage2 = dir.File("stage2");
        string[] common = ["--epochs", "1", "--max-steps", "3", "--seed", "42", "--threads", "2"];
        string out1 = Cli(["train", "--model", TinyModel, "--train", augmented, "--train", trainEs, "--dev", dev,
            "--config", Path.Combine(Recipes, "stage1.json"), "--out", stage1, .. common]);
        string out2 = Cli(["train", "--model", stage1, "--train", trainEs, "--dev", devEs,
            "--config", Path.Combine(Recipes, "stage2.json"), "--out", stage2, .. common]);
        Assert.Contains(TrainingHistory.Header, out1);
        Assert.Contains(TrainingHistory.Header, out2);

        string card = File.ReadAllText(Path.Combine(stage2, "README.md"));
        int lineage = card.IndexOf("## Training lineage", StringComparison.Ordinal);
        Assert.True(lineage >= 0, card);
        string section = card[lineage..];
        int s1 = section.IndexOf("### Stage 1: from `" + TinyModel + "`", StringComparison.Ordinal);
        int s2 = section.IndexOf("### Stage 2: from `" + stage1 + "`", StringComparison.Ordinal);
        Assert.True(s1 >= 0 && s2 > s1, section);
        Assert.Contains("| Epoch | Step |", section[s1..s2]);
        Assert.Contains("| Epoch | Step |", section[s2..]);

        var stages = Lineage.Read(stage2);
        Assert.Equal(2, stages.Count);
        Assert.Equal([augmented, trainEs], stages[0].TrainFiles);
        Assert.Equal(stage1, stages[1].BaseModel);
        Assert.Equal(devEs, stages[1].DevFile);
        Assert.Equal(Id2Label(stage1), Id2Label(stage2));
    }

    [Theory]
    [InlineData("stage1.json")]
    [InlineData("stage2.json")]
    public void RecipeConfig_ReferenceHyperParameters(string file)
    {
        var o = JsonSerializer.Deserialize<TrainingOptions>(File.ReadAllText(Path.Combine(Recipes, file)), TrainingOptions.Json)!;
        o.Validate();
        Assert.Equal((3e-5, 8, 8, 42L, 4), (o.LearningRate, o.TrainBatchSize, o.EvalBatchSize, o.Seed, o.Epochs));
        Assert.Equal((0.9, 0.999, 1e-8, 0.0, 1.0), (o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, o.MaxGradNorm));
        Assert.False(o.LabelAllTokens);
    }

    [Fact]
    public async Task Glossary_MarkedSentence_TranslatesWordsAndKeepsMarkers()
    {
        using var backend = BioNer.Translation.TranslationBackends.Create(
            $"command:bash '{Path.Combine(Recipes, "mt-glossary.sh")}' {{source}} {{target}}");
        var got = await backend.TranslateAsync(
            ["Loss of [Protein| KCNJ10 ] protein in the [Taxon| mouse ] [Cell| hair cells ]", "The [Gene| gene ] and [Chemical| acid ]"],
            "en", "es", CancellationToken.None);
        Assert.Equal<string>(["Pérdida de [Protein| KCNJ10 ] proteína en el [Taxon| ratón ] [Cell| hair células ]",
                      "El [Gene| gen ] y [Chemical| ácido ]"], got);
    }
}

/// <summary>
/// The recipe script itself, run twice into one output folder and once more after a stage lost its outputs: a rerun
/// keeps what is complete and a stage with a checkpoint resumes (what a run spread over several sessions or Slurm jobs
/// needs). Tiny fixture, a 30/10-sentence slice, 2 steps per stage, checkpoints every step.
/// </summary>
[Trait("Category", Category.Slow)]
[Collection(BioNer.Tests.Training.TrainingCollection.Name)]
public sealed class TwoStepTransferScriptTests
{
    private static (int Code, string Out, string Err) Recipe(string work, string data, string outDir, string extra = "") =>
        Deploy.Shell.Run($"{extra} MODEL={Deploy.Shell.Quote(Deploy.Shell.Model)} DATA={Deploy.Shell.Quote(data)} " +
            $"TERMS=harvest OUT={Deploy.Shell.Quote(outDir)} EPOCHS=1 BIONER={Deploy.Shell.Quote(Deploy.Shell.Cli)} " +
            "TRAIN_ARGS='--max-steps 2 --save-steps 1 --eval-batch-size 16' " +
            $"bash {Deploy.Shell.Quote(Deploy.Shell.Repo("samples/recipes/two-step-transfer.sh"))}", work, 300);

    [Fact]
    public void Script_RerunKeepsCompleteStepsAndResumesAStageWithACheckpoint()
    {
        using var tmp = new TempDir();
        string data = tmp.File("data");
        Directory.CreateDirectory(data);
        foreach (var (split, n) in new[] { ("train", 30), ("dev", 10) })
        {
            var corpus = CorpusIO.Read(Path.Combine(TestPaths.RepoRoot, "samples", "craft-sample", split + ".conll"));
            CorpusIO.Write(new Corpus(corpus.Sentences.Take(n).ToList()), Path.Combine(data, split + ".conll"));
        }
        string outDir = tmp.File("out");
        var (code, stdout, err) = Recipe(tmp.Path, data, outDir);
        Assert.True(code == 0, $"first run exited {code}:\n{stdout}\n{err}");
        string stage2 = Path.Combine(outDir, "stage2");
        // Each stage also scores the other language's dev set at every evaluation (--eval-also): printed live, in its
        // card, and both stages' tables in the final card's lineage.
        Assert.Matches(@"(?m)^es-dev: \| [0-9.]+ \| 2 \| .* \|$", stdout);
        Assert.Matches(@"(?m)^en-dev: \| [0-9.]+ \| 2 \| .* \|$", stdout);
        string card = File.ReadAllText(Path.Combine(stage2, "README.md"));
        string lineage = card[card.IndexOf("## Training lineage", StringComparison.Ordinal)..];
        Assert.Contains($"On evaluation set `es-dev` (`{Path.Combine(outDir, "dev.es.conll")}`):", lineage);
        Assert.Contains($"On evaluation set `en-dev` (`{Path.Combine(data, "dev.conll")}`):", lineage);
        var stage2Run = TrainRequest.Load(stage2)!;
        Assert.Equal([new EvalSet("en-dev", Path.Combine(data, "dev.conll"))], stage2Run.EvalSets!);
        byte[] weights = File.ReadAllBytes(Path.Combine(stage2, "model.safetensors"));
        var translated = File.GetLastWriteTimeUtc(Path.Combine(outDir, "train.es.conll"));

        (code, stdout, err) = Recipe(tmp.Path, data, outDir);
        Assert.True(code == 0, $"rerun exited {code}:\n{stdout}\n{err}");
        Assert.Contains("train.aug.conll exists: kept", stdout);
        Assert.Contains("train.es.conll exists: kept", stdout);
        Assert.Contains("stage1 is complete (metrics.json): kept", stdout);
        Assert.Contains("stage2 is complete (metrics.json): kept", stdout);
        Assert.Equal(translated, File.GetLastWriteTimeUtc(Path.Combine(outDir, "train.es.conll")));

        // Stage 2 killed after its last checkpoint, before its outputs: the rerun resumes it and ends with the same weights.
        File.Delete(Path.Combine(stage2, "metrics.json"));
        File.Delete(Path.Combine(stage2, "model.safetensors"));
        (code, stdout, err) = Recipe(tmp.Path, data, outDir);
        Assert.True(code == 0, $"resume exited {code}:\n{stdout}\n{err}");
        Assert.Contains("stage2 has a checkpoint: resuming it", stdout);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(stage2, "model.safetensors")));

        (code, stdout, err) = Recipe(tmp.Path, data, outDir, "FRESH=1");
        Assert.True(code == 0, $"FRESH=1 run exited {code}:\n{stdout}\n{err}");
        Assert.DoesNotContain(": kept", stdout);
        Assert.DoesNotContain("resuming it", stdout);
    }
}
