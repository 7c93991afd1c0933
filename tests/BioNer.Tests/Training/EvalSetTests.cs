using System.Text.Json.Nodes;
using BioNer.Tests.Data;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary><c>--eval-also</c>: naming the sets, and what one costs a run (nothing but its own rows).</summary>
public sealed class EvalSetParseTests
{
    [Theory]
    [InlineData("es-dev=/data/dev.es.conll", "es-dev", "/data/dev.es.conll")]
    [InlineData("/data/dev.es.conll", "dev.es", "/data/dev.es.conll")]
    [InlineData("runs/test.tsv", "test", "runs/test.tsv")]
    [InlineData("en_test.v2=a=b.conll", "en_test.v2", "a=b.conll")]
    public void Parse_NameEqualsFileOrFileAlone(string spec, string name, string file) =>
        Assert.Equal(new EvalSet(name, file), EvalSet.Parse(spec));

    [Fact]
    public void Parse_AnExistingFileWhoseNameHoldsAnEqualsSign_IsTheFileAndNeedsAName()
    {
        using var tmp = new TempDir();
        string path = tmp.File("es=dev.conll");
        File.WriteAllText(path, "");
        Assert.Contains("give one as NAME=FILE", Assert.Throws<BioNerException>(() => EvalSet.Parse(path)).Message);
        Assert.Equal(new EvalSet("es", path), EvalSet.Parse("es=" + path));
    }

    [Theory]
    [InlineData("es=", "no file after '='")]
    [InlineData("-x.conll", "must be letters, digits")]
    public void Parse_BadSpec_SaysWhy(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<BioNerException>(() => EvalSet.Parse(spec)).Message);

    [Fact]
    public void CheckNames_TwoSetsOfOneName_AreRefused()
    {
        var e = Assert.Throws<BioNerException>(() => EvalSet.CheckNames([new("dev", "a/dev.conll"), new("dev", "b/dev.conll")]));
        Assert.Contains("two sets are named 'dev'", e.Message);
        Assert.Contains("set name '' must be", Assert.Throws<BioNerException>(() => EvalSet.CheckNames([new("", "a.conll")])).Message);
        Assert.Contains("set name 'es dev' must be", Assert.Throws<BioNerException>(() => EvalSet.CheckNames([new("es dev", "a.conll")])).Message);
    }
}

/// <summary>
/// A run that also scores two sets (the dev file again, and the training file) on the tiny fixture: the set named for
/// the dev file must score exactly the dev row, the weights must equal those of the same run without sets, and the rows
/// must reach trainer_state.json (HF's eval_NAME_* keys), the model card, the lineage and a resumed run.
/// </summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public sealed class EvalSetTrainingTests
{
    private sealed class SimulatedCrash : Exception;

    private static TrainingOptions Options => TrainTestData.Fast(seed: 5) with { EvalSteps = 3, SaveSteps = 2 };

    [Fact]
    public void Train_WithEvalSets_RowsPerEvaluationAndTheSameWeights()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        EvalSet[] sets = [new("again", dev), new("train-set", train)];
        var plain = FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("plain"), Options));
        var seen = new List<(string, EvalRow)>();
        var withSets = FineTuner.Run(TrainTestData.Request(train, dev, tmp.File("sets"), Options) with { EvalSets = sets },
            new TrainingObserver { SetEvaluation = (n, r) => seen.Add((n, r)) });

        Assert.Equal(TrainTestData.Weights(tmp.File("plain")), TrainTestData.Weights(tmp.File("sets")));
        Assert.Equal(plain.History.Evaluations, withSets.History.Evaluations);
        var devRows = withSets.History.Evaluations;
        Assert.True(devRows.Count >= 3, $"{devRows.Count} evaluations");
        Assert.Equal(["again", "train-set"], withSets.History.SetNames);
        Assert.Equal(withSets.History.SetEvaluations.Select(e => (e.Set, e.Row)), seen);
        var again = withSets.History.SetEvaluations.Where(e => e.Set == "again").Select(e => e.Row).ToList();
        Assert.Equal(devRows, again);                                   // the same file scores the same row
        var onTrain = withSets.History.SetEvaluations.Where(e => e.Set == "train-set").Select(e => e.Row).ToList();
        Assert.Equal(devRows.Select(r => (r.Epoch, r.Step, r.TrainingLoss)), onTrain.Select(r => (r.Epoch, r.Step, r.TrainingLoss)));
        Assert.NotEqual(devRows.Select(r => r.ValidationLoss), onTrain.Select(r => r.ValidationLoss));

        var state = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("sets"), "trainer_state.json")))!.AsObject();
        var log = state["log_history"]!.AsArray().Select(n => n!.AsObject()).ToList();
        Assert.Equal(devRows.Count, log.Count(o => o.ContainsKey("eval_train-set_f1")));
        Assert.Equal(onTrain[^1].F1, log.Last(o => o.ContainsKey("eval_train-set_f1"))["eval_train-set_f1"]!.GetValue<double>());
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("sets"), "metrics.json")))!.AsObject();
        var keptRow = onTrain.Single(r => r.Step == withSets.Kept.Evaluation!.Step);     // the kept weights' scores on the set
        Assert.Equal(keptRow.F1, metrics["eval_train-set_f1"]!.GetValue<double>());
        Assert.Equal(keptRow.ValidationLoss, metrics["eval_train-set_loss"]!.GetValue<double>());
        Assert.Equal(metrics["eval_f1"]!.GetValue<double>(), metrics["eval_again_f1"]!.GetValue<double>());
        var back = TrainingHistory.FromTrainerState(state);
        Assert.Equal(withSets.History.SetEvaluations, back.SetEvaluations);
        Assert.Equal(withSets.History.Evaluations, back.Evaluations);

        string card = File.ReadAllText(Path.Combine(tmp.File("sets"), "README.md"));
        Assert.Contains($"On evaluation set `train-set` (`{train}`):", card);
        Assert.Contains(TrainingHistory.FormatRow(onTrain[^1]), card);
        var stage = Lineage.Read(tmp.File("sets")).Single();
        Assert.Contains("On evaluation set `again`", stage.ResultsTable);
        Assert.DoesNotContain("On evaluation set", File.ReadAllText(Path.Combine(tmp.File("plain"), "README.md")));
    }

    [Fact]
    public void Train_KeepLast_MetricsGiveTheLastEvaluationsScoresOnEachSet()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var request = TrainTestData.Request(train, dev, tmp.File("out"), Options with { LoadBestModelAtEnd = false }) with { EvalSets = [new("tr", train)] };
        var result = FineTuner.Run(request);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(tmp.File("out"), "metrics.json")))!.AsObject();
        var last = result.History.SetEvaluations[^1].Row;
        Assert.Equal("last", metrics["kept_weights"]!.GetValue<string>());
        Assert.Equal(metrics["global_step"]!.GetValue<int>(), metrics["kept_step"]!.GetValue<int>());
        Assert.Equal(last.Step, metrics["kept_step"]!.GetValue<int>());
        Assert.Equal(last.F1, metrics["eval_tr_f1"]!.GetValue<double>());
    }

    [Fact]
    public void Resume_RunWithEvalSets_KeepsTheRowsBeforeTheCrash()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        var request = TrainTestData.Request(train, dev, tmp.File("full"), Options) with { EvalSets = [new("tr", train)] };
        var full = FineTuner.Run(request);
        var crashing = new TrainingObserver { Step = p => { if (p.Step == 7) throw new SimulatedCrash(); } };
        Assert.Throws<SimulatedCrash>(() => FineTuner.Run(request with { OutDir = tmp.File("crash") }, crashing));

        var resumed = FineTuner.Resume(tmp.File("crash"));

        Assert.Equal(full.History.SetEvaluations, resumed.History.SetEvaluations);
        Assert.Equal(TrainTestData.Weights(tmp.File("full")), TrainTestData.Weights(tmp.File("crash")));
    }

    [Fact]
    public void Train_EvalSetWithAnUnknownLabel_FailsBeforeTrainingNamingTheFile()
    {
        using var tmp = new TempDir();
        var (train, dev) = TrainTestData.WriteSubset(tmp.File("data"));
        string odd = TrainTestData.WriteConll(tmp.File("odd.conll"), TrainTestData.Sentences(dev),
            t => t == "O" ? t : t[..2] + "Disease");
        var request = TrainTestData.Request(train, dev, tmp.File("out"), Options) with { EvalSets = [new("odd", odd)] };

        var e = Assert.Throws<BioNerException>(() => FineTuner.Run(request));
        Assert.Contains("B-Disease", e.Message);
        Assert.Contains("odd.conll", e.Message);
        Assert.False(File.Exists(Path.Combine(tmp.File("out"), "run.json")));

        var missing = request with { EvalSets = [new("gone", tmp.File("gone.conll"))] };
        Assert.Contains("evaluation set 'gone' file not found", Assert.Throws<BioNerException>(() => FineTuner.Run(missing)).Message);
    }
}
