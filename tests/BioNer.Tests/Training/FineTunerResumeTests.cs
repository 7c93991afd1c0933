using System.Diagnostics;
using BioNer.Tests.Data;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>One uninterrupted run that the interrupted-and-resumed runs must reproduce exactly.</summary>
public sealed class ResumeBaseline : IDisposable
{
    public TempDir Tmp { get; } = new();
    public string Train { get; }
    public string Dev { get; }
    public string OutDir => Tmp.File("full");
    public List<(int Step, double Loss)> Losses { get; } = [];
    public TrainResult Result { get; }

    /// <summary>Two epochs, a checkpoint every 2 steps and a dev evaluation every 3 (so a crash loses eval rows too).</summary>
    public static TrainingOptions Options => TrainTestData.Fast(seed: 11) with { SaveSteps = 2, EvalSteps = 3 };

    public ResumeBaseline()
    {
        (Train, Dev) = TrainTestData.WriteSubset(Tmp.File("data"));
        Result = FineTuner.Run(TrainTestData.Request(Train, Dev, OutDir, Options),
            new TrainingObserver { Step = p => Losses.Add((p.Step, p.Loss)) });
    }

    public int StepsPerEpoch => Losses.Count / Options.Epochs;

    public void Dispose() => Tmp.Dispose();
}

/// <summary>A run killed mid-training and resumed ends exactly where the uninterrupted run ends.</summary>
[Trait("Category", Category.Slow)]
[Collection(TrainingCollection.Name)]
public class FineTunerResumeTests(ResumeBaseline baseline) : IClassFixture<ResumeBaseline>
{
    private sealed class SimulatedCrash : Exception;

    private static void AssertSameRun(string expectedDir, string actualDir)
    {
        Assert.Equal(TrainTestData.Weights(expectedDir), TrainTestData.Weights(actualDir));
        Assert.Equal(TrainTestData.EvalMetrics(expectedDir), TrainTestData.EvalMetrics(actualDir));
        Assert.Equal(TrainTestData.LogHistory(expectedDir), TrainTestData.LogHistory(actualDir));
        Assert.Equal(TrainTestData.CardRows(expectedDir), TrainTestData.CardRows(actualDir));
    }

    [Theory]
    [InlineData(0, 3)]   // first epoch: checkpoint-2 is the newest when step 3 crashes
    [InlineData(1, 2)]   // second epoch, past the epoch-end checkpoint and a save-steps one
    public void Resume_CrashAfterCheckpoint_SameLossesWeightsMetricsAndBestModel(int epoch, int stepInEpoch)
    {
        int crashAt = epoch * baseline.StepsPerEpoch + stepInEpoch;
        Assert.True(crashAt < baseline.Losses.Count);
        string outDir = baseline.Tmp.File($"crash-{crashAt}");
        var request = TrainTestData.Request(baseline.Train, baseline.Dev, outDir, ResumeBaseline.Options);
        var crashing = new TrainingObserver { Step = p => { if (p.Step == crashAt) throw new SimulatedCrash(); } };

        Assert.Throws<SimulatedCrash>(() => FineTuner.Run(request, crashing));
        string checkpoint = TrainingCheckpoint.Find(outDir);
        int savedAt = int.Parse(Path.GetFileName(checkpoint)["checkpoint-".Length..]);
        Assert.InRange(savedAt, crashAt - 2, crashAt - 1);
        Assert.False(File.Exists(Path.Combine(outDir, "model.safetensors")));
        var before = TrainingCheckpoint.ReadResume(checkpoint).Throughput!;        // the crashed process, up to its checkpoint
        Assert.InRange(before.RealTokens, 1, baseline.Result.Stats.RealTokens - 1);

        var resumed = new List<(int Step, double Loss)>();
        var result = FineTuner.Resume(outDir, new TrainingObserver { Step = p => resumed.Add((p.Step, p.Loss)) });
        // Throughput covers the whole run: the steps redone after the crash are counted once, as in the uninterrupted run.
        var whole = baseline.Result.Stats;
        Assert.Equal((whole.RealTokens, whole.PaddedTokens, whole.PaddingSkipped), (result.Stats.RealTokens, result.Stats.PaddedTokens, result.Stats.PaddingSkipped));
        Assert.True(result.Stats.TrainSeconds > before.TrainSeconds, $"{result.Stats.TrainSeconds} s after resuming, {before.TrainSeconds} s before");

        Assert.Equal(baseline.Losses.Where(l => l.Step > savedAt), resumed);
        AssertSameRun(baseline.OutDir, outDir);
        Assert.Equal(baseline.Result.Final.Predictions, result.Final.Predictions);
        Assert.Equal(baseline.Result.History.Evaluations, result.History.Evaluations);
        Assert.Equal(baseline.Result.History.Losses, result.History.Losses);
        string best = Path.Combine("checkpoints", "best");
        Assert.Equal(TrainTestData.Weights(Path.Combine(baseline.OutDir, best)), TrainTestData.Weights(Path.Combine(outDir, best)));
    }

    [Fact]
    public void Resume_CheckpointWithoutThroughputRecord_ResumesAndSaysTheFiguresCoverThisProcess()
    {
        string outDir = baseline.Tmp.File("old-format");
        var request = TrainTestData.Request(baseline.Train, baseline.Dev, outDir, ResumeBaseline.Options);
        Assert.Throws<SimulatedCrash>(() => FineTuner.Run(request, new TrainingObserver { Step = p => { if (p.Step == 5) throw new SimulatedCrash(); } }));
        string resumeJson = Path.Combine(TrainingCheckpoint.Find(outDir), "resume.json");
        var state = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(resumeJson))!.AsObject();
        Assert.True(state.Remove("throughput"));                       // as written before the record existed
        File.WriteAllText(resumeJson, state.ToJsonString());

        var log = new List<string>();
        var result = FineTuner.Resume(outDir, new TrainingObserver { Message = log.Add });

        Assert.Contains(log, l => l.Contains("predates throughput records", StringComparison.Ordinal));
        Assert.InRange(result.Stats.RealTokens, 1, baseline.Result.Stats.RealTokens - 1);
        Assert.Equal(TrainTestData.Weights(baseline.OutDir), TrainTestData.Weights(outDir));
    }

    [Fact]
    public void Resume_CrashAfterEarlyStopCheckpoint_DoesNotTrainFurther()
    {
        var o = ResumeBaseline.Options with { EvalSteps = 1, SaveSteps = 1, EarlyStoppingPatience = 1, LearningRate = 1e-5 };
        string full = baseline.Tmp.File("es-full"), crashed = baseline.Tmp.File("es-crash");
        var messages = new List<string>();
        var stopped = FineTuner.Run(TrainTestData.Request(baseline.Train, baseline.Dev, full, o), new TrainingObserver { Message = messages.Add });
        Assert.Contains(messages, m => m.StartsWith("early stopping", StringComparison.Ordinal));
        int stopStep = stopped.History.Evaluations[^1].Step;
        Assert.True(stopStep < baseline.Losses.Count, $"early stopping should end the run before step {baseline.Losses.Count}");

        bool stopSeen = false;
        var crashing = new TrainingObserver
        {
            Message = m =>
            {
                if (m.StartsWith("early stopping", StringComparison.Ordinal)) stopSeen = true;
                else if (stopSeen && m.StartsWith("checkpoint saved", StringComparison.Ordinal)) throw new SimulatedCrash();
            },
        };
        Assert.Throws<SimulatedCrash>(() => FineTuner.Run(TrainTestData.Request(baseline.Train, baseline.Dev, crashed, o), crashing));
        var resumed = FineTuner.Resume(crashed);

        Assert.Equal(stopStep, resumed.History.Evaluations[^1].Step);
        AssertSameRun(full, crashed);
    }

    [Fact]
    public void Resume_FreshRunCrashedBeforeItsFirstCheckpoint_DoesNotPickUpAnEarlierRunsCheckpoint()
    {
        string outDir = baseline.Tmp.File("reused");
        var o = ResumeBaseline.Options with { Epochs = 1, MaxSteps = 3 };
        FineTuner.Run(TrainTestData.Request(baseline.Train, baseline.Dev, outDir, o));
        Assert.NotEmpty(Directory.GetDirectories(TrainingCheckpoint.Root(outDir), "checkpoint-*"));

        var crashing = new TrainingObserver { Step = _ => throw new SimulatedCrash() };
        Assert.Throws<SimulatedCrash>(() => FineTuner.Run(TrainTestData.Request(baseline.Train, baseline.Dev, outDir, o with { Seed = 99 }), crashing));

        var e = Assert.Throws<BioNerException>(() => FineTuner.Resume(outDir));
        Assert.Contains("no checkpoint", e.Message);
    }

    [Fact]
    public void TrainCli_ProcessKilledAfterCheckpoint_ResumeGivesSameWeightsAndMetrics()
    {
        // Checkpointing does not change the trajectory, so only the killed run pays for a checkpoint per step.
        string[] Args(string outDir) =>
        [
            "train", "--model", TrainTestData.TinyModel, "--train", baseline.Train, "--dev", baseline.Dev, "--out", outDir,
            "--threads", "1", "--seed", "5", "--epochs", "2", "--batch-size", "4", "--max-length", "32", "--lr", "5e-4",
        ];
        string full = baseline.Tmp.File("cli-full"), killed = baseline.Tmp.File("cli-killed");
        var (code, _, err) = TrainTestData.Cli(Args(full));
        Assert.True(code == 0, err);

        KillAfterFirstCheckpoint([.. Args(killed), "--save-steps", "1"], killed);
        Assert.False(File.Exists(Path.Combine(killed, "metrics.json")), "the child finished before it was killed");
        (code, var stdout, err) = TrainTestData.Cli("train", "--resume", killed);

        Assert.True(code == 0, err);
        Assert.Contains("resumed from", stdout);
        AssertSameRun(full, killed);
    }

    private static void KillAfterFirstCheckpoint(string[] args, string outDir)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "BioNer.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        child.OutputDataReceived += (_, _) => { };
        child.BeginErrorReadLine();
        child.BeginOutputReadLine();
        var clock = Stopwatch.StartNew();
        string root = TrainingCheckpoint.Root(outDir);
        while (!(Directory.Exists(root) && Directory.GetDirectories(root, "checkpoint-*").Length > 0))
        {
            Assert.False(child.HasExited, $"child exited early ({(child.HasExited ? child.ExitCode : 0)}): {stderr}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "no checkpoint after 120 s: " + stderr);
            Thread.Sleep(20);
        }
        child.Kill(entireProcessTree: true);
        child.WaitForExit();
    }
}
