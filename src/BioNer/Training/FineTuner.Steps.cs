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
using static TorchSharp.torch;

namespace BioNer.Training;

// The named steps of the loop in FineTuner.Execute.
public sealed partial class FineTuner
{
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
        TrainingSteps.ApplyGradients(_model, _optimizer, _o.MaxGradNorm, lr);
        MallocTuning.ReleaseFreePagesIfGrown();      // the tuned heap keeps what it frees: give it back when it has grown
        _trainClock.Stop();

        double loss = _microLoss;
        _microLoss = 0;
        _state = _state with
        {
            GlobalStep = _state.GlobalStep + 1,
            LossSinceLog = _state.LossSinceLog + loss, StepsSinceLog = _state.StepsSinceLog + 1,
            LossSinceEval = _state.LossSinceEval + loss, StepsSinceEval = _state.StepsSinceEval + 1,
        };
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

    private int _stepsDoneHere;
    private double EpochNow => (double)_state.GlobalStep / _stepsPerEpoch;

    /// <summary>Scores the model on dev, appends a results-table row, keeps the best weights, and applies early stopping.</summary>
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
    }

    /// <summary>
    /// Scores <paramref name="model"/> on <paramref name="corpus"/> through the decoder <c>bioner evaluate --model</c>
    /// uses (<see cref="ModelEvaluator"/> over the live model, not owned), in windows of the training length (strided
    /// for longer sentences), so a results-table row and a later evaluation of the saved model agree.
    /// </summary>
    private EvaluationOutcome Evaluate(Modeling.TokenClassifier model, Corpus corpus)
    {
        using var pipeline = new NerPipeline(new TorchTokenScorer(model, _tokenizer, ownsModel: false),
            new NerOptions { BatchSize = _o.EvalBatchSize, MaxSubTokens = _o.MaxSequenceLength - 2 });
        return ModelEvaluator.Evaluate(pipeline, corpus, new ModelEvaluationOptions { LabelAllTokens = _o.LabelAllTokens });
    }

    /// <summary>Writes a resumable checkpoint of the current state.</summary>
    private void SaveCheckpoint()
    {
        string dir = TrainingCheckpoint.Save(_request.OutDir, _model, _optimizer, _state, _history, _totalSteps, _epochs);
        Log($"checkpoint saved: {dir}");
    }

    /// <summary>Picks the final weights, scores them, and writes the output folder.</summary>
    private TrainResult Finish()
    {
        var model = _model;
        bool useBest = _o.LoadBestModelAtEnd && Directory.Exists(BestDir);
        if (useBest) model = CheckpointLoader.Load(BestDir, _labels);
        var final = Evaluate(model, _dev);
        EvaluationOutcome? test = null;
        if (_request.TestFile is { } testFile)
        {
            var testCorpus = ReadCorpus([testFile], "test");
            test = Evaluate(model, testCorpus);
            foreach (var line in test.Coverage.Describe()) Log($"test: {line}");
        }
        var stats = new ThroughputStats(_realTokens, _paddedTokens, _paddingSkipped, _trainClock.Elapsed.TotalSeconds);
        var result = new TrainResult(_request.OutDir, _history, final, test, stats) { Kept = KeptWeights.Of(_history, useBest) };
        WriteOutputs(model, result, useBest);
        if (!ReferenceEquals(model, _model)) model.Dispose();
        return result;
    }

    private void WriteOutputs(Modeling.TokenClassifier model, TrainResult result, bool usedBest)
    {
        string outDir = _request.OutDir;
        string staging = Path.Combine(outDir, $".model-{Guid.NewGuid():N}");
        CheckpointWriter.Save(model, staging, dir => _tokenizer.SaveTo(dir));
        foreach (var f in Directory.GetFiles(staging)) File.Move(f, Path.Combine(outDir, Path.GetFileName(f)), overwrite: true);
        Directory.Delete(staging, true);
        AtomicFile.WriteAllText(Path.Combine(outDir, "trainer_state.json"),
            _history.ToTrainerState(_state.GlobalStep, _totalSteps, _epochs, usedBest ? BestDir : null).ToJsonString(TrainingOptions.Json));
        AtomicFile.WriteAllText(Path.Combine(outDir, "metrics.json"), MetricsJson(result).ToJsonString(TrainingOptions.Json));
        var stages = Lineage.Read(_modelDir).Append(new TrainingStage(_request.Model, _request.TrainFiles, _request.DevFile, _o,
            _history.ToMarkdownTable(), result.Final.Metrics.F1, DateTimeOffset.UtcNow)).ToList();
        Lineage.Write(outDir, stages);
        AtomicFile.WriteAllText(Path.Combine(outDir, "README.md"), ModelCard.Render(_request, _labels, result, stages));
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
        json["global_step"] = _state.GlobalStep;
        json["train_seconds"] = r.Stats.TrainSeconds;
        json["train_tokens_per_second"] = r.Stats.RealTokensPerSecond;
        json["train_padded_tokens_per_second"] = r.Stats.PaddedTokensPerSecond;
        json["padding_skipped_tokens"] = r.Stats.PaddingSkipped;
        return json;
    }
}
