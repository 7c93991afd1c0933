using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.IO;
using BioNer.Modeling;
using BioNer.Native;
using BioNer.Tokenization;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Pretraining;

/// <summary>What <c>bioner pretrain</c> runs: the starting model, the text, the output folder and the settings.</summary>
/// <param name="Model">Model folder, hub id or built-in name (<c>minilm</c>).</param>
/// <param name="Inputs">Text files or folders (<see cref="MlmCorpus.ReadRows"/>).</param>
/// <param name="OutDir">Output folder: an HF <c>*ForMaskedLM</c> folder plus checkpoints and reports.</param>
/// <param name="Options">The loop's settings (learning rate, batch size, epochs, <c>--max-length</c>, ...).</param>
/// <param name="Mlm">Data and masking settings.</param>
public sealed record PretrainRequest(string Model, IReadOnlyList<string> Inputs, string OutDir, TrainingOptions Options, MlmOptions Mlm)
{
    /// <summary>Set by <see cref="Pretrainer.Resume"/>: the output folder whose newest checkpoint the run continues from.</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>The settings file of a run, in its output folder.</summary>
    public const string FileName = "pretrain.json";
}

/// <summary>One validation row: the masked-LM loss and its perplexity, exp(loss).</summary>
public sealed record MlmEvaluation(double Epoch, int Step, double? TrainingLoss, double Loss)
{
    /// <summary>exp(loss), as run_mlm.py reports it.</summary>
    public double Perplexity => Math.Exp(Loss);
}

/// <summary>What a finished pretraining run reports.</summary>
public sealed record PretrainResult(string OutDir, IReadOnlyList<MlmEvaluation> Evaluations, long TrainSequences, double TrainSeconds)
{
    /// <summary>Validation perplexity of the starting model (null without a validation split).</summary>
    public double? PerplexityBefore => Evaluations.Count > 0 ? Evaluations[0].Perplexity : null;

    /// <summary>Validation perplexity of the saved model.</summary>
    public double? PerplexityAfter => Evaluations.Count > 0 ? Evaluations[^1].Perplexity : null;
}

/// <summary>
/// Continued masked-language-model pretraining (domain-adaptive, HF <c>run_mlm.py</c>), on one screen:
/// <see cref="TrainStep"/>, <see cref="OptimizerStep"/>, <see cref="Evaluate"/>, <see cref="SaveCheckpoint"/>, with
/// the fine-tuner's parts (fused AdamW, linear warm-up/decay, length-grouped batches, atomic checkpoints). Masks are
/// drawn per batch from (seed, epoch, batch), so a killed run resumes to the same weights; validation masks are fixed,
/// so perplexities before, during and after are comparable. Output: an HF folder that <c>bioner train --model</c>
/// fine-tunes and <c>transformers</c> loads as <c>*ForMaskedLM</c>.
/// </summary>
public sealed class Pretrainer
{
    private const string StateFile = "pretrain_state.json";
    private readonly PretrainRequest _request;
    private readonly TrainingOptions _o;
    private readonly TrainingObserver _observer;
    private readonly string _modelDir;
    private readonly HfTokenizer _tokenizer;
    private readonly MlmMasking _masking;
    private readonly List<int[]> _train, _validation;
    private readonly MaskedLanguageModel _model;
    private readonly FusedAdamW _optimizer;
    private readonly LinearSchedule _schedule;
    private readonly int _stepsPerEpoch, _epochs, _totalSteps;
    private readonly string? _resumeCheckpoint;
    private ResumeState _state;
    private List<MlmEvaluation> _history = [];
    private double _microLoss;
    private int _stepsDoneHere;
    private long _tokensSeen;
    private ThroughputStats _before = ThroughputStats.Zero;      // the processes before this one (a resumed run)
    private readonly Stopwatch _clock = new();

    private void Log(string message) => _observer.Message?.Invoke(message);
    private double EpochNow => (double)_state.GlobalStep / _stepsPerEpoch;

    /// <summary>Runs <paramref name="request"/> to completion and writes the output folder.</summary>
    public static PretrainResult Run(PretrainRequest request, TrainingObserver? observer = null) =>
        new Pretrainer(request, observer ?? new TrainingObserver()).Execute();

    /// <summary>Continues the killed run in <paramref name="outDir"/> with its saved settings.</summary>
    public static PretrainResult Resume(string outDir, TrainingObserver? observer = null)
    {
        string path = Path.Combine(outDir, PretrainRequest.FileName);
        if (!File.Exists(path)) throw new BioNerException($"not a BioNer pretraining folder ({PretrainRequest.FileName} missing)", outDir);
        var request = JsonSerializer.Deserialize<PretrainRequest>(File.ReadAllText(path), TrainingOptions.Json)
            ?? throw new BioNerException("empty run settings", path);
        return Run(request with { ResumeFrom = outDir }, observer);
    }

    // Every check on the input happens here, before anything is written.
    private Pretrainer(PretrainRequest request, TrainingObserver observer)
    {
        _request = request;
        _o = request.Options;
        _observer = observer;
        _o.Validate();
        request.Mlm.Validate();
        if (request.Inputs.Count == 0) throw new BioNerException("no text given (--train)");
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        _resumeCheckpoint = request.ResumeFrom is null ? null : TrainingCheckpoint.Find(request.ResumeFrom);
        _modelDir = ModelResolver.Resolve(request.Model, Log);
        _tokenizer = HfTokenizer.Load(_modelDir);
        _masking = new MlmMasking(_tokenizer, request.Mlm.MlmProbability, request.Mlm.WholeWordMask);

        var rows = MlmCorpus.ReadRows(request.Inputs);
        int held = MlmCorpus.ValidationCount(rows.Count, request.Mlm.ValidationSplitPercentage);
        _validation = MlmCorpus.Encode(rows[..held], _tokenizer, _o.MaxSequenceLength, request.Mlm.LineByLine);
        _train = MlmCorpus.Encode(rows[held..], _tokenizer, _o.MaxSequenceLength, request.Mlm.LineByLine);
        if (_train.Count == 0)
            throw new BioNerException($"the text gives no training sequence of {_o.MaxSequenceLength} tokens; give more text, a smaller --max-length, or --line-by-line");
        Log($"text: {rows.Count:N0} rows ({held:N0} held out); train {_train.Count:N0} sequences, {_train.Sum(s => (long)s.Length):N0} tokens; " +
            $"validation {_validation.Count:N0} sequences ({(request.Mlm.LineByLine ? "line by line" : $"blocks of {_o.MaxSequenceLength}")})");
        Log(Native.NativeSetup.ComputeLine(false));

        torch.manual_seed(_o.Seed);
        _model = MaskedLanguageModel.Load(_resumeCheckpoint is null ? _modelDir : Path.Combine(_resumeCheckpoint, "model"), Log, _o.Seed);
        _model.train();
        _optimizer = TrainingSteps.CreateOptimizer(_model, _o);
        (_stepsPerEpoch, _totalSteps, _epochs) = TrainingSteps.Plan(_train.Count, _o);
        _schedule = new LinearSchedule(_o.LearningRate, LinearSchedule.WarmupFor(_o, _totalSteps), _totalSteps);
        _state = new ResumeState(0, 0, 0, _o.Seed, _o.Threads, 0, 0, 0, 0, 0);
        if (_resumeCheckpoint is not null) RestoreFrom(_resumeCheckpoint);
    }

    private void RestoreFrom(string checkpoint)
    {
        _state = TrainingCheckpoint.ReadResume(checkpoint);
        _before = _state.Throughput ?? ThroughputStats.Zero;
        if (_state.Throughput is null) Log("this checkpoint predates throughput records: train_seconds and tokens/s will cover this process only");
        if (_state.Seed != _o.Seed || _state.Threads != _o.Threads)
            throw new BioNerException($"checkpoint was made with seed {_state.Seed} and {_state.Threads} threads; resume with the same", checkpoint);
        string path = Path.Combine(checkpoint, StateFile);
        try
        {
            _history = JsonSerializer.Deserialize<List<MlmEvaluation>>(File.ReadAllText(path), TrainingOptions.Json) ?? [];
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            throw new BioNerException($"corrupt pretraining state: {e.Message}", path);
        }
        TrainingCheckpoint.RestoreOptimizerAndRng(checkpoint, _optimizer);
        Log($"resumed from {checkpoint} at step {_state.GlobalStep} (epoch {_state.Epoch + 1}, batch {_state.BatchInEpoch})");
    }

    private PretrainResult Execute()
    {
        Directory.CreateDirectory(_request.OutDir);
        if (_resumeCheckpoint is null)
        {
            if (Directory.Exists(TrainingCheckpoint.Root(_request.OutDir))) Directory.Delete(TrainingCheckpoint.Root(_request.OutDir), true);
            AtomicFile.WriteAllText(Path.Combine(_request.OutDir, PretrainRequest.FileName), JsonSerializer.Serialize(_request, TrainingOptions.Json));
            Evaluate();                                                  // the starting model's perplexity
        }
        while (_state.Epoch < _epochs && _state.GlobalStep < _totalSteps)
        {
            var batches = EpochBatches(_state.Epoch);
            for (int b = _state.BatchInEpoch; b < batches.Count && _state.GlobalStep < _totalSteps; b++)
            {
                TrainStep(batches[b], MlmMasking.BatchRandom(_o.Seed, _state.Epoch, b));
                _state = _state with { BatchInEpoch = b + 1 };
                if ((b + 1) % _o.GradientAccumulationSteps != 0 && b + 1 != batches.Count) continue;
                OptimizerStep();
                bool last = b + 1 == batches.Count;
                if (_o.EvalSteps > 0 && _state.GlobalStep % _o.EvalSteps == 0 && !last) Evaluate();
                if (_o.SaveSteps > 0 && _state.GlobalStep % _o.SaveSteps == 0 && !last) SaveCheckpoint();
            }
            if (_state.BatchInEpoch < batches.Count) break;
            Evaluate();
            _state = _state with { Epoch = _state.Epoch + 1, BatchInEpoch = 0 };
            SaveCheckpoint();
        }
        if (_history.Count == 0 || _history[^1].Step != _state.GlobalStep) Evaluate();
        return Finish();
    }

    private IReadOnlyList<int[]> EpochBatches(int epoch) => TrainingSteps.EpochBatches(_train.Select(s => s.Length).ToList(), _o, epoch);

    // Masks a batch and pads it: input ids, attention mask, labels as (B, T) int64 tensors in the caller's scope.
    private (torch.Tensor Ids, torch.Tensor Mask, torch.Tensor Labels) Batch(IEnumerable<int[]> sequences, Random rng)
    {
        var seqs = sequences.Select((s, i) =>
        {
            var (input, labels) = _masking.Mask(s, rng);
            return new EncodedSequence(input, new int[input.Length], labels, i, 0, 0);
        }).ToList();
        var batch = Collator.Pad(seqs, _tokenizer.PadId);
        long[] shape = [batch.BatchSize, batch.SeqLen];
        return (torch.tensor(batch.InputIds, shape), torch.tensor(batch.AttentionMask, shape), torch.tensor(batch.Labels, shape));
    }

    /// <summary>Forward + loss + backward of one micro-batch.</summary>
    private void TrainStep(IReadOnlyList<int> indices, Random rng)
    {
        _clock.Start();
        using (var scope = torch.NewDisposeScope())
        {
            var (ids, mask, labels) = Batch(indices.Select(i => _train[i]), rng);
            var loss = _model.Loss(ids, mask, labels);
            float value = loss.item<float>();
            if (!float.IsNaN(value))
            {
                (loss / _o.GradientAccumulationSteps).backward();
                _microLoss += value / _o.GradientAccumulationSteps;
            }
            _tokensSeen += indices.Sum(i => (long)_train[i].Length);
        }
        _clock.Stop();
    }

    /// <summary>Clips, steps AdamW at the scheduled rate, logs progress.</summary>
    private void OptimizerStep()
    {
        _clock.Start();
        double lr = _schedule.LearningRateAt(_state.GlobalStep);
        TrainingSteps.ApplyGradients(_optimizer, _o.MaxGradNorm, lr);
        MallocTuning.ReleaseFreePagesIfGrown();
        _clock.Stop();
        double loss = _microLoss;
        _microLoss = 0;
        _state = _state.AfterStep(loss);
        double mean = _state.LossSinceLog / _state.StepsSinceLog;
        if (_state.StepsSinceLog >= _o.LoggingSteps) _state = _state with { LossSinceLog = 0, StepsSinceLog = 0 };
        double seconds = _clock.Elapsed.TotalSeconds;
        var eta = TimeSpan.FromSeconds(seconds / Math.Max(1, ++_stepsDoneHere) * (_totalSteps - _state.GlobalStep));
        _observer.Step?.Invoke(new StepProgress(_state.GlobalStep, _totalSteps, EpochNow, mean, lr, seconds > 0 ? _tokensSeen / seconds : 0, eta));
    }

    /// <summary>Validation loss over the held-out sequences with fixed masks (token-weighted mean); logs perplexity.</summary>
    private void Evaluate()
    {
        if (_validation.Count == 0) return;
        _model.eval();
        double sum = 0;
        long count = 0;
        for (int start = 0; start < _validation.Count; start += _o.EvalBatchSize)
        {
            using var scope = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            var rng = MlmMasking.BatchRandom(_o.Seed, -1, start / _o.EvalBatchSize);
            var (ids, mask, labels) = Batch(_validation.Skip(start).Take(_o.EvalBatchSize), rng);
            long n = labels.ne(-100).sum().item<long>();
            if (n == 0) continue;
            sum += _model.Loss(ids, mask, labels).item<float>() * n;
            count += n;
        }
        _model.train();
        MallocTuning.ReleaseFreePages();
        if (count == 0) return;
        double? trainLoss = _state.StepsSinceEval > 0 ? _state.LossSinceEval / _state.StepsSinceEval : null;
        var row = new MlmEvaluation(Math.Round(EpochNow, 2), _state.GlobalStep, trainLoss, sum / count);
        _history.Add(row);
        _state = _state with { LossSinceEval = 0, StepsSinceEval = 0 };
        Log(string.Create(CultureInfo.InvariantCulture, $"epoch {row.Epoch:0.00} step {row.Step}: validation loss {row.Loss:0.0000}, perplexity {row.Perplexity:0.00} ({count:N0} masked tokens)"));
    }

    /// <summary>The run's training time and real tokens so far: the earlier processes' and this one's.</summary>
    private ThroughputStats Throughput() => _before.Plus(new ThroughputStats(_tokensSeen, _tokensSeen, 0, _clock.Elapsed.TotalSeconds));

    /// <summary>Writes a resumable checkpoint: the model, the optimizer, the RNG, the state and the validation history.</summary>
    private void SaveCheckpoint()
    {
        string dir = TrainingCheckpoint.Save(_request.OutDir, _optimizer, _state with { Throughput = Throughput() }, _o.SaveTotalLimit, tmp =>
        {
            _model.Save(Path.Combine(tmp, "model"));
            File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(_history, TrainingOptions.Json));
        });
        Log($"checkpoint saved: {dir}");
    }

    /// <summary>Writes the output folder: the model with its tokenizer, metrics.json and a card.</summary>
    private PretrainResult Finish()
    {
        _optimizer.Dispose();
        var run = Throughput();
        var result = new PretrainResult(_request.OutDir, _history, _train.Count, run.TrainSeconds);
        string staging = Path.Combine(_request.OutDir, $".model-{Guid.NewGuid():N}");
        _model.Save(staging, dir => _tokenizer.SaveTo(dir));
        foreach (var f in Directory.GetFiles(staging)) File.Move(f, Path.Combine(_request.OutDir, Path.GetFileName(f)), overwrite: true);
        Directory.Delete(staging, true);
        var metrics = new JsonObject
        {
            ["perplexity_before"] = result.PerplexityBefore, ["perplexity_after"] = result.PerplexityAfter,
            ["eval_loss"] = _history.Count > 0 ? _history[^1].Loss : null, ["global_step"] = _state.GlobalStep,
            ["train_sequences"] = _train.Count, ["validation_sequences"] = _validation.Count,
            ["train_seconds"] = Math.Round(result.TrainSeconds, 1), ["train_tokens_per_second"] = run.TrainSeconds > 0 ? Math.Round(run.RealTokensPerSecond, 1) : null,
            ["evaluations"] = JsonSerializer.SerializeToNode(_history, TrainingOptions.Json),
        };
        AtomicFile.WriteAllText(Path.Combine(_request.OutDir, "metrics.json"), metrics.ToJsonString(TrainingOptions.Json));
        AtomicFile.WriteAllText(Path.Combine(_request.OutDir, "README.md"), Card(result));
        Log($"model written to {_request.OutDir}");
        _model.Dispose();
        return result;
    }

    private string Card(PretrainResult r)
    {
        var inv = CultureInfo.InvariantCulture;
        var m = _request.Mlm;
        var sb = new StringBuilder();
        sb.AppendLine("---").AppendLine("library_name: bioner").AppendLine("pipeline_tag: fill-mask").AppendLine($"base_model: {_request.Model}")
          .AppendLine("tags:").AppendLine("- fill-mask").AppendLine("- biomedical").AppendLine("- bioner").AppendLine("---").AppendLine();
        sb.AppendLine($"# {Path.GetFileName(Path.GetFullPath(_request.OutDir).TrimEnd('/'))}").AppendLine();
        sb.AppendLine($"`{_request.Model}` after continued masked-language-model pretraining with BioNer (`bioner pretrain`) on " +
                      $"{string.Join(", ", _request.Inputs.Select(i => $"`{i}`"))}: {r.TrainSequences:N0} training sequences.").AppendLine();
        sb.AppendLine("| | validation perplexity |").AppendLine("|---|---|");
        foreach (var e in _history) sb.AppendLine(inv, $"| epoch {e.Epoch:0.00} (step {e.Step}) | {e.Perplexity:0.00} |");
        sb.AppendLine();
        sb.AppendLine("## Settings").AppendLine()
          .AppendLine(inv, $"- mlm_probability: {m.MlmProbability}; whole_word_mask: {m.WholeWordMask.ToString().ToLowerInvariant()}; line_by_line: {m.LineByLine.ToString().ToLowerInvariant()}; validation split: {m.ValidationSplitPercentage}%")
          .AppendLine(inv, $"- learning_rate: {_o.LearningRate.ToString("R", inv).ToLowerInvariant()}; batch size: {_o.TrainBatchSize}; epochs: {_o.Epochs}; max_seq_length: {_o.MaxSequenceLength}; seed: {_o.Seed}; warmup ratio {_o.WarmupRatio}, steps {_o.WarmupSteps}; weight decay {_o.WeightDecay}")
          .AppendLine(inv, $"- {r.TrainSeconds:0} s of training steps").AppendLine();
        sb.AppendLine("## How to use").AppendLine().AppendLine("```bash")
          .AppendLine($"bioner train --model {_request.OutDir} --train train.conll --dev dev.conll --out ner-model").AppendLine("```").AppendLine()
          .AppendLine($"In Python, `AutoModelForMaskedLM.from_pretrained(PATH)` loads it as `{_model.Architecture}` (decoder tied to the word embeddings).");
        return sb.ToString();
    }
}
