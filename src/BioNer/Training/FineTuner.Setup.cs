using System.Diagnostics;
using System.Text.Json;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.IO;
using BioNer.Modeling;
using BioNer.Tokenization;
using TorchSharp;

namespace BioNer.Training;

// Construction: everything that can be wrong with the input is checked here, before the first step.
public sealed partial class FineTuner
{
    private readonly TrainRequest _request;
    private readonly TrainingOptions _o;
    private readonly TrainingObserver _observer;
    private readonly string _modelDir;
    private readonly HfTokenizer _tokenizer;
    private readonly IReadOnlyList<string> _labels;
    private readonly EncodedCorpus _train;
    private readonly Corpus _dev;
    private readonly Modeling.TokenClassifier _model;
    private readonly TorchSharp.Modules.AdamW _optimizer;
    private readonly LinearSchedule _schedule;
    private readonly int _stepsPerEpoch;
    private readonly int _epochs;
    private readonly int _totalSteps;
    private TrainingHistory _history = new();
    private ResumeState _state;
    private int _lastEvalStep = -1;
    private bool _stop;
    private double _microLoss;
    private readonly Stopwatch _trainClock = new();
    private long _realTokens, _paddedTokens, _paddingSkipped;

    private bool Done => _stop || _state.GlobalStep >= _totalSteps;
    private void Log(string message) => _observer.Message?.Invoke(message);
    private string BestDir => Path.Combine(TrainingCheckpoint.Root(_request.OutDir), "best");

    private FineTuner(TrainRequest request, TrainingObserver observer)
    {
        _request = request;
        _o = request.Options;
        _observer = observer;
        _o.Validate();
        if (request.TrainFiles.Count == 0) throw new BioNerException("no training file given (--train)");
        EnsureWritable(request.OutDir);
        if (_o.Threads > 0) torch.set_num_threads(_o.Threads);
        string? resume = request.ResumeFrom is null ? null : TrainingCheckpoint.Find(request.ResumeFrom);

        _modelDir = ModelResolver.Resolve(request.Model, Log);
        _tokenizer = HfTokenizer.Load(_modelDir);
        var train = ReadCorpus(request.TrainFiles, "training");
        var dev = ReadCorpus([request.DevFile], "dev");
        var config = ModelConfig.Load(Path.Combine(_modelDir, "config.json"));
        _labels = TrainingData.BuildLabels(config.Labels, [train]);
        _train = TrainingData.Encode(train, _tokenizer, _labels, _o.MaxSequenceLength, _o.LabelAllTokens);
        TrainingData.LabelIds(dev, _labels);
        _dev = dev;
        Log($"labels ({_labels.Count}): {string.Join(' ', _labels)}");
        Log($"train: {train.Sentences.Count} sentences, {_train.Sequences.Count} windows, {_train.TokenCount} sub-tokens; " +
            $"dev: {dev.Sentences.Count} sentences ({_train.SplitSentences} long training sentences split into windows)");

        torch.manual_seed(_o.Seed);
        _model = CheckpointLoader.Load(resume is null ? _modelDir : Path.Combine(resume, "model"), _labels, Log, _o.Seed);
        _model.train();
        _optimizer = CreateOptimizer();
        int batchesPerEpoch = (_train.Sequences.Count + _o.TrainBatchSize - 1) / _o.TrainBatchSize;
        _stepsPerEpoch = Math.Max(1, (batchesPerEpoch + _o.GradientAccumulationSteps - 1) / _o.GradientAccumulationSteps);
        _totalSteps = _o.MaxSteps > 0 ? _o.MaxSteps : _stepsPerEpoch * _o.Epochs;
        _epochs = (_totalSteps + _stepsPerEpoch - 1) / _stepsPerEpoch;
        _schedule = new LinearSchedule(_o.LearningRate, LinearSchedule.WarmupFor(_o, _totalSteps), _totalSteps);
        _state = new ResumeState(0, 0, 0, _o.Seed, _o.Threads, 0, 0, 0, 0, 0);
        if (resume is not null) RestoreFrom(resume);
        else StartFresh();
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

    private Corpus ReadCorpus(IReadOnlyList<string> files, string what)
    {
        var sentences = new List<Sentence>();
        foreach (var spec in files)
        {
            var (f, weight) = ParseWeighted(spec);
            if (!File.Exists(f) && !Directory.Exists(f)) throw new BioNerException($"{what} file not found", f);
            var c = CorpusIO.Read(f);
            if (_request.LabelMap is { } map) c = LabelMap.FromSpec(map).Apply(c);
            for (int i = 0; i < weight; i++) sentences.AddRange(c.Sentences);
        }
        if (sentences.Count == 0 || sentences.All(s => s.Count == 0))
            throw new BioNerException($"the {what} split is empty", string.Join(", ", files));
        return new Corpus(sentences, string.Join(", ", files));
    }

    /// <summary>
    /// <c>FILE</c> or <c>FILE:N</c>: a corpus repeated N times in the concatenation (oversampling a small corpus, e.g. the
    /// translated one, against a large one). A suffix that is not a positive integer is part of the path.
    /// </summary>
    internal static (string Path, int Weight) ParseWeighted(string spec)
    {
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && int.TryParse(spec[(colon + 1)..], out int n) && !File.Exists(spec))
        {
            if (n < 1 || n > 100) throw new BioNerException($"--train: weight {n} of '{spec[..colon]}' must be in 1..100");
            return (spec[..colon], n);
        }
        return (spec, 1);
    }

    // HF Trainer's AdamW parameter groups (no weight decay on biases and LayerNorm weights).
    private TorchSharp.Modules.AdamW CreateOptimizer() => TrainingSteps.CreateOptimizer(_model, _o);

    private void RestoreFrom(string checkpoint)
    {
        (var state, _history) = TrainingCheckpoint.ReadState(checkpoint);
        if (state.Seed != _o.Seed || state.Threads != _o.Threads)
            throw new BioNerException($"checkpoint was made with seed {state.Seed} and {state.Threads} threads; resume with the same (got {_o.Seed}, {_o.Threads})", checkpoint);
        _state = state;
        _lastEvalStep = _history.Evaluations.Count > 0 ? _history.Evaluations[^1].Step : -1;
        // A run that early-stopped and was killed before writing its outputs must not train on after the resume.
        _stop = _o.EarlyStoppingPatience > 0 && state.EvalsWithoutImprovement >= _o.EarlyStoppingPatience;
        TrainingCheckpoint.RestoreOptimizerAndRng(checkpoint, _optimizer);
        Log($"resumed from {checkpoint} at step {state.GlobalStep} (epoch {state.Epoch + 1}, batch {state.BatchInEpoch})");
    }

    private void StartFresh()
    {
        // Checkpoints of an earlier run in this folder belong to other settings: a later --resume must never pick them up.
        if (Directory.Exists(TrainingCheckpoint.Root(_request.OutDir))) Directory.Delete(TrainingCheckpoint.Root(_request.OutDir), true);
        AtomicFile.WriteAllText(Path.Combine(_request.OutDir, "run.json"), JsonSerializer.Serialize(_request, TrainingOptions.Json));
    }

    /// <summary>Continues the killed run whose output folder is <paramref name="outDir"/>, with its saved settings.</summary>
    public static TrainResult Resume(string outDir, TrainingObserver? observer = null)
    {
        string path = Path.Combine(outDir, "run.json");
        if (!File.Exists(path)) throw new BioNerException("not a BioNer training folder (run.json missing)", outDir);
        var request = JsonSerializer.Deserialize<TrainRequest>(File.ReadAllText(path), TrainingOptions.Json)
            ?? throw new BioNerException("empty run settings", path);
        return Run(request with { ResumeFrom = outDir }, observer);
    }

    private IReadOnlyList<int[]> EpochBatches(int epoch)
    {
        // Data order is a pure function of (seed, epoch): nothing to store for resuming mid-epoch.
        var rng = new Random(unchecked((int)(_o.Seed * 1_000_003 + epoch)));
        var lengths = _train.Sequences.Select(s => s.InputIds.Length).ToArray();
        if (_o.GroupByLength) return LengthGroupedSampler.Batches(lengths, _o.TrainBatchSize, rng);
        return LengthGroupedSampler.RandomBatches(lengths.Length, _o.TrainBatchSize, rng);
    }
}
