using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Evaluation;
using BioNer.Inference;
using BioNer.IO;
using BioNer.Modeling;
using BioNer.Native;
using BioNer.Tokenization;
using TorchSharp;

namespace BioNer.Training;

/// <summary>
/// Fine-tunes a token classifier: the HF Trainer loop for NER, on one screen — <see cref="TrainStep"/>,
/// <see cref="OptimizerStep"/>, <see cref="EvaluateDev"/>, <see cref="SaveCheckpoint"/>. Deterministic for a seed and
/// thread count; a killed run resumes from its last checkpoint to the same final weights.
/// </summary>
public sealed class FineTuner
{
    // Fixed for the run: the request, and the model, data and schedule the constructor checked and loaded.
    private readonly TrainRequest _request;
    private readonly TrainingOptions _o;
    private readonly TrainingObserver _observer;
    private readonly string? _resumeCheckpoint;
    private readonly string _modelDir;
    private readonly HfTokenizer _tokenizer;
    private readonly IReadOnlyList<string> _labels;
    private readonly EncodedCorpus _train;
    private readonly Corpus _dev;
    private readonly IReadOnlyList<(EvalSet Set, Corpus Corpus)> _evalSets;
    private readonly TokenClassifier _model;
    private readonly FusedAdamW _optimizer;
    private readonly LinearSchedule _schedule;
    private readonly int _stepsPerEpoch;
    private readonly int _epochs;
    private readonly int _totalSteps;

    // Where the run stands: what a checkpoint saves and restores (state, history), then what only this process counts.
    private ResumeState _state;
    private TrainingHistory _history = new();
    private int _lastEvalStep = -1;
    private bool _stop;
    private double _microLoss;
    private int _stepsDoneHere;
    private readonly Stopwatch _trainClock = new();
    private long _realTokens, _paddedTokens, _paddingSkipped;
    private ThroughputStats _before = ThroughputStats.Zero;      // the processes before this one (a resumed run)

    private bool Done => _stop || _state.GlobalStep >= _totalSteps;
    private double EpochNow => (double)_state.GlobalStep / _stepsPerEpoch;
    private string BestDir => Path.Combine(TrainingCheckpoint.Root(_request.OutDir), "best");
    private void Log(string message) => _observer.Message?.Invoke(message);

    /// <summary>Runs <paramref name="request"/> to completion and writes the output folder.</summary>
    public static TrainResult Run(TrainRequest request, TrainingObserver? observer = null)
    {
        var run = new FineTuner(request, observer ?? new TrainingObserver());
        run.PrepareOutput();
        return run.Execute();
    }

    /// <summary>Continues the killed run whose output folder is <paramref name="outDir"/>, with its saved settings.</summary>
    public static TrainResult Resume(string outDir, TrainingObserver? observer = null)
    {
        var request = TrainRequest.Load(outDir)
            ?? throw new BioNerException($"not a BioNer training folder ({TrainRequest.FileName} missing)", outDir);
        return Run(request with { ResumeFrom = outDir }, observer);
    }

    // Everything that can be wrong with the input is checked here, before the first step; nothing is written yet.
    private FineTuner(TrainRequest request, TrainingObserver observer)
    {
        _request = request;
        _o = request.Options;
        _observer = observer;
        _o.Validate();
        if (request.TrainFiles.Count == 0) throw new BioNerException("no training file given (--train)");
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        if (_o.Bf16) CpuFeatures.RequireBf16($"{TrainingOptions.SettingOf(nameof(TrainingOptions.Bf16))}");
        _resumeCheckpoint = request.ResumeFrom is null ? null : TrainingCheckpoint.Find(request.ResumeFrom);

        _modelDir = ModelResolver.Resolve(request.Model, Log);
        _tokenizer = HfTokenizer.Load(_modelDir);
        var train = TrainingData.ReadSplit(request.TrainFiles, "training", request.LabelMap);
        var dev = TrainingData.ReadSplit([request.DevFile], "dev", request.LabelMap);
        var config = ModelConfig.Load(Path.Combine(_modelDir, "config.json"));
        _labels = TrainingData.BuildLabels(config.Labels, [train]);
        _train = TrainingData.Encode(train, _tokenizer, _labels, _o.MaxSequenceLength, _o.LabelAllTokens);
        TrainingData.LabelIds(dev, _labels);
        _dev = dev;
        _evalSets = ReadEvalSets(request, _labels);
        Log($"labels ({_labels.Count}): {string.Join(' ', _labels)}");
        Log($"train: {train.Sentences.Count} sentences, {_train.Sequences.Count} windows, {_train.TokenCount} sub-tokens; " +
            $"dev: {dev.Sentences.Count} sentences ({_train.SplitSentences} long training sentences split into windows)");
        Log(NativeSetup.ComputeLine(_o.Bf16));

        torch.manual_seed(_o.Seed);
        _model = CheckpointLoader.Load(_resumeCheckpoint is null ? _modelDir : Path.Combine(_resumeCheckpoint, "model"), _labels, Log, _o.Seed,
            _resumeCheckpoint is null ? _o.HeadOverride() : null);
        if (_model.Crf is not null && _o.LabelAllTokens)
        {
            _model.Dispose();
            throw new BioNerException($"a CRF head ({TrainingOptions.SettingOf(nameof(TrainingOptions.Head))} crf) labels words by their " +
                $"first sub-token; it cannot be combined with {TrainingOptions.SettingOf(nameof(TrainingOptions.LabelAllTokens))}");
        }
        if (_model.Crf is not null) Log($"CRF head: transitions at {_o.CrfLearningRateScale():G4} × the learning rate");
        _model.train();
        _model.ComputeInBf16 = _o.Bf16;
        _optimizer = TrainingSteps.CreateOptimizer(_model, _o);
        (_stepsPerEpoch, _totalSteps, _epochs) = TrainingSteps.Plan(_train.Sequences.Count, _o);
        _schedule = new LinearSchedule(_o.LearningRate, LinearSchedule.WarmupFor(_o, _totalSteps), _totalSteps);
        _state = new ResumeState(0, 0, 0, _o.Seed, _o.Threads, 0, 0, 0, 0, 0);
        if (_resumeCheckpoint is not null) RestoreFrom(_resumeCheckpoint);
    }

    // Each --eval-also corpus, checked like dev (file, labels) before the first step.
    private static IReadOnlyList<(EvalSet, Corpus)> ReadEvalSets(TrainRequest request, IReadOnlyList<string> labels)
    {
        var sets = request.EvalSets ?? [];
        EvalSet.CheckNames(sets);
        return sets.Select(set =>
        {
            var corpus = TrainingData.ReadSplit([set.File], $"evaluation set '{set.Name}'", request.LabelMap);
            TrainingData.LabelIds(corpus, labels);
            return (set, corpus);
        }).ToList();
    }

    private void RestoreFrom(string checkpoint)
    {
        (var state, _history) = TrainingCheckpoint.ReadState(checkpoint);
        if (state.Seed != _o.Seed || state.Threads != _o.Threads)
            throw new BioNerException($"checkpoint was made with seed {state.Seed} and {state.Threads} threads; resume with the same (got {_o.Seed}, {_o.Threads})", checkpoint);
        _state = state;
        _before = state.Throughput ?? ThroughputStats.Zero;
        if (state.Throughput is null) Log("this checkpoint predates throughput records: train_seconds and tokens/s will cover this process only");
        _lastEvalStep = _history.Evaluations.Count > 0 ? _history.Evaluations[^1].Step : -1;
        // A run that early-stopped and was killed before writing its outputs must not train on after the resume.
        _stop = _o.EarlyStoppingPatience > 0 && state.EvalsWithoutImprovement >= _o.EarlyStoppingPatience;
        TrainingCheckpoint.RestoreOptimizerAndRng(checkpoint, _optimizer);
        Log($"resumed from {checkpoint} at step {state.GlobalStep} (epoch {state.Epoch + 1}, batch {state.BatchInEpoch})");
    }

    /// <summary>
    /// The first write of a run, once every check has passed: the output folder must take files, and a fresh run
    /// clears an earlier run's checkpoints and records its settings (<c>run.json</c>, what <see cref="Resume"/> reads).
    /// </summary>
    private void PrepareOutput()
    {
        EnsureWritable(_request.OutDir);
        if (_resumeCheckpoint is not null) return;
        // Checkpoints of an earlier run in this folder belong to other settings: a later --resume must never pick them up.
        if (Directory.Exists(TrainingCheckpoint.Root(_request.OutDir))) Directory.Delete(TrainingCheckpoint.Root(_request.OutDir), true);
        AtomicFile.WriteAllText(Path.Combine(_request.OutDir, TrainRequest.FileName), JsonSerializer.Serialize(_request, TrainingOptions.Json));
    }

    private static void EnsureWritable(string outDir)
    {
        try
        {
            Directory.CreateDirectory(outDir);
            string probe = Path.Combine(outDir, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BioNerException($"output folder is not writable: {e.Message}", outDir);
        }
    }

    private TrainResult Execute()
    {
        while (_state.Epoch < _epochs && !Done)
        {
            var batches = EpochBatches(_state.Epoch);
            for (int b = _state.BatchInEpoch; b < batches.Count && !Done; b++)
            {
                TrainStep(batches[b]);
                _state = _state with { BatchInEpoch = b + 1 };
                bool boundary = (b + 1) % _o.GradientAccumulationSteps == 0 || b + 1 == batches.Count;
                if (!boundary) continue;
                OptimizerStep();
                bool lastOfEpoch = b + 1 == batches.Count;
                if (_o.EvalSteps > 0 && _state.GlobalStep % _o.EvalSteps == 0 && !lastOfEpoch) EvaluateDev();
                if (_o.SaveSteps > 0 && _state.GlobalStep % _o.SaveSteps == 0 && !lastOfEpoch) SaveCheckpoint();
            }
            if (_state.BatchInEpoch < batches.Count) break;          // max steps or early stop inside the epoch
            EvaluateDev();
            _state = _state with { Epoch = _state.Epoch + 1, BatchInEpoch = 0 };
            SaveCheckpoint();
        }
        if (_lastEvalStep != _state.GlobalStep) EvaluateDev();
        return Finish();
    }

    private IReadOnlyList<int[]> EpochBatches(int epoch) =>
        TrainingSteps.EpochBatches(_train.Sequences.Select(s => s.InputIds.Length).ToList(), _o, epoch);

    /// <summary>Forward + backward of one micro-batch; gradients accumulate until <see cref="OptimizerStep"/>.</summary>
    private void TrainStep(IReadOnlyList<int> indices)
    {
        _trainClock.Start();
        using (var scope = torch.NewDisposeScope())
        {
            var seqs = indices.Select(i => _train.Sequences[i]).ToList();
            var batch = Collator.Pad(seqs, _tokenizer.PadId);
            float value = TrainingSteps.ForwardBackward(_model, batch, _o.GradientAccumulationSteps);
            if (!float.IsNaN(value)) _microLoss += value / _o.GradientAccumulationSteps;  // NaN: no labelled token
            _realTokens += seqs.Sum(s => (long)s.InputIds.Length);
            _paddedTokens += (long)batch.BatchSize * batch.SeqLen;
            _paddingSkipped += (long)batch.BatchSize * (_o.MaxSequenceLength - batch.SeqLen);
        }
        _trainClock.Stop();
    }

    /// <summary>Clips, sets the scheduled learning rate, applies AdamW, and logs.</summary>
    private void OptimizerStep()
    {
        _trainClock.Start();
        double lr = _schedule.LearningRateAt(_state.GlobalStep);
        TrainingSteps.ApplyGradients(_optimizer, _o.MaxGradNorm, lr);
        MallocTuning.ReleaseFreePagesIfGrown();      // the tuned heap keeps what it frees: give it back when it has grown
        _trainClock.Stop();

        double loss = _microLoss;
        _microLoss = 0;
        _state = _state.AfterStep(loss);
        double mean = _state.LossSinceLog / _state.StepsSinceLog;
        if (_state.StepsSinceLog >= _o.LoggingSteps)
        {
            _history.Losses.Add(new LossPoint(EpochNow, _state.GlobalStep, mean, lr));
            _state = _state with { LossSinceLog = 0, StepsSinceLog = 0 };
        }
        double tps = _trainClock.Elapsed.TotalSeconds > 0 ? _realTokens / _trainClock.Elapsed.TotalSeconds : 0;
        double secPerStep = _trainClock.Elapsed.TotalSeconds / Math.Max(1, _stepsDoneHere++ + 1);
        var eta = TimeSpan.FromSeconds(secPerStep * (_totalSteps - _state.GlobalStep));
        _observer.Step?.Invoke(new StepProgress(_state.GlobalStep, _totalSteps, EpochNow, mean, lr, tps, eta));
    }

    /// <summary>
    /// Scores the model on dev, appends a results-table row, keeps the best weights, and applies early stopping; then
    /// scores each <see cref="EvalSet"/> (rows of its own table, no effect on training or selection).
    /// </summary>
    private void EvaluateDev()
    {
        var outcome = Evaluate(_model, _dev);
        MallocTuning.ReleaseFreePages();              // evaluation batches are larger than training ones
        var m = outcome.Metrics;
        double? trainLoss = _state.StepsSinceEval > 0 ? _state.LossSinceEval / _state.StepsSinceEval : null;
        var row = new EvalRow(Math.Round(EpochNow, 2), _state.GlobalStep, trainLoss, outcome.Loss ?? double.NaN, m.Precision, m.Recall, m.F1, m.Accuracy);
        double bestBefore = _history.Best?.F1 ?? double.NegativeInfinity;
        _history.Evaluations.Add(row);
        _lastEvalStep = _state.GlobalStep;
        bool improved = row.F1 > bestBefore;
        _state = _state with
        {
            LossSinceEval = 0, StepsSinceEval = 0,
            EvalsWithoutImprovement = improved ? 0 : _state.EvalsWithoutImprovement + 1,
        };
        if (improved && _o.LoadBestModelAtEnd) CheckpointWriter.Save(_model, BestDir);
        if (_o.EarlyStoppingPatience > 0 && _state.EvalsWithoutImprovement >= _o.EarlyStoppingPatience)
        {
            _stop = true;
            Log($"early stopping: dev F1 has not improved for {_o.EarlyStoppingPatience} evaluations");
        }
        _observer.Evaluation?.Invoke(row);
        foreach (var (set, corpus) in _evalSets)
        {
            var o = Evaluate(_model, corpus);
            MallocTuning.ReleaseFreePages();
            var setRow = row with
            {
                ValidationLoss = o.Loss ?? double.NaN, Precision = o.Metrics.Precision, Recall = o.Metrics.Recall,
                F1 = o.Metrics.F1, Accuracy = o.Metrics.Accuracy,
            };
            _history.SetEvaluations.Add(new SetEvalRow(set.Name, setRow));
            _observer.SetEvaluation?.Invoke(set.Name, setRow);
        }
    }

    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="corpus"/> through the decoder <c>bioner evaluate --model</c>
    /// uses (<see cref="ModelEvaluator"/> over the live model, not owned), in windows of the training length (strided
    /// for longer sentences), so a results-table row and a later evaluation of the saved model agree.
    /// </summary>
    private EvaluationOutcome Evaluate(TokenClassifier model, Corpus corpus)
    {
        using var pipeline = new NerPipeline(new TorchTokenScorer(model, _tokenizer, ownsModel: false),
            new NerOptions { BatchSize = _o.EvalBatchSize, MaxSubTokens = _o.MaxSequenceLength - 2 });
        return ModelEvaluator.Evaluate(pipeline, corpus, new ModelEvaluationOptions { LabelAllTokens = _o.LabelAllTokens, Constrained = _o.ConstrainedDecoding ? true : null });
    }

    /// <summary>The run's training throughput so far: the earlier processes' and this one's.</summary>
    private ThroughputStats Throughput() =>
        _before.Plus(new ThroughputStats(_realTokens, _paddedTokens, _paddingSkipped, _trainClock.Elapsed.TotalSeconds));

    /// <summary>Writes a resumable checkpoint of the current state.</summary>
    private void SaveCheckpoint()
    {
        string dir = TrainingCheckpoint.Save(_request.OutDir, _model, _optimizer, _state with { Throughput = Throughput() },
            _history, _totalSteps, _epochs, _o.SaveTotalLimit);
        Log($"checkpoint saved: {dir}");
    }

    /// <summary>Picks the final weights, scores them, and writes the output folder.</summary>
    private TrainResult Finish()
    {
        _optimizer.Dispose();                        // the moments are done with; the weights stay in their buffer
        var model = _model;
        bool useBest = _o.LoadBestModelAtEnd && Directory.Exists(BestDir);
        if (useBest) model = CheckpointLoader.Load(BestDir, _labels);
        model.ComputeInBf16 = _o.Bf16;
        var final = Evaluate(model, _dev);
        EvaluationOutcome? test = null;
        if (_request.TestFile is { } testFile)
        {
            var testCorpus = TrainingData.ReadSplit([testFile], "test", _request.LabelMap);
            test = Evaluate(model, testCorpus);
            foreach (var line in test.Coverage.Describe()) Log($"test: {line}");
        }
        var stats = Throughput();
        var result = new TrainResult(_request.OutDir, _history, final, test, stats) { Kept = KeptWeights.Of(_history, useBest) };
        WriteOutputs(model, result, useBest);
        if (!ReferenceEquals(model, _model)) model.Dispose();
        return result;
    }

    private void WriteOutputs(TokenClassifier model, TrainResult result, bool usedBest)
    {
        string outDir = _request.OutDir;
        string staging = Path.Combine(outDir, $".model-{Guid.NewGuid():N}");
        CheckpointWriter.Save(model, staging, dir => _tokenizer.SaveTo(dir));
        foreach (var f in Directory.GetFiles(staging)) File.Move(f, Path.Combine(outDir, Path.GetFileName(f)), overwrite: true);
        Directory.Delete(staging, true);
        AtomicFile.WriteAllText(Path.Combine(outDir, "trainer_state.json"),
            _history.ToTrainerState(_state.GlobalStep, _totalSteps, _epochs, usedBest ? BestDir : null).ToJsonString(TrainingOptions.Json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), MetricsJson(result).ToJsonString(TrainingOptions.Json));
        var setFiles = _evalSets.ToDictionary(s => s.Set.Name, s => s.Set.File);
        var stages = Lineage.Read(_modelDir).Append(new TrainingStage(_request.Model, _request.TrainFiles, _request.DevFile, _o,
            _history.ToMarkdownTable() + _history.ToSetTables(setFiles), result.Final.Metrics.F1, DateTimeOffset.UtcNow)).ToList();
        Lineage.Write(outDir, stages);
        AtomicFile.WriteAllText(Path.Combine(outDir, "README.md"), ModelCard.Render(_request, _labels, result, stages, model.Crf is not null));
        LearningCurves.Save(_history, Path.Combine(outDir, "learning_curves.png"));
        Log($"model written to {outDir}");
    }

    private JsonObject MetricsJson(TrainResult r)
    {
        JsonObject Scores(EvaluationOutcome o, string prefix) => new()
        {
            [prefix + "_loss"] = o.Loss, [prefix + "_precision"] = o.Metrics.Precision, [prefix + "_recall"] = o.Metrics.Recall,
            [prefix + "_f1"] = o.Metrics.F1, [prefix + "_accuracy"] = o.Metrics.Accuracy,
            [prefix + "_report"] = JsonNode.Parse(o.Metrics.Report.ToJson()),
        };
        var json = Scores(r.Final, "eval");
        if (r.Test is { } t) foreach (var kv in Scores(t, "test")) json[kv.Key] = kv.Value?.DeepClone();
        // Each --eval-also set's row of the evaluation that produced the kept weights: those weights' scores on it.
        foreach (var e in _history.SetEvaluations.Where(e => e.Row.Step == r.Kept.Evaluation?.Step))
            TrainingHistory.AddScores(json, $"eval_{e.Set}", e.Row);
        json["global_step"] = _state.GlobalStep;
        // Which weights those scores are of: the best dev evaluation's (default) or the last step's (--keep-last).
        json["kept_weights"] = r.Kept.Best ? "best" : "last";
        json["kept_epoch"] = r.Kept.Evaluation is { } k ? Math.Round(k.Epoch, 4) : null;
        json["kept_step"] = r.Kept.Evaluation?.Step;
        json["train_seconds"] = r.Stats.TrainSeconds;
        json["train_tokens_per_second"] = r.Stats.RealTokensPerSecond;
        json["train_padded_tokens_per_second"] = r.Stats.PaddedTokensPerSecond;
        json["padding_skipped_tokens"] = r.Stats.PaddingSkipped;
        return json;
    }
}
