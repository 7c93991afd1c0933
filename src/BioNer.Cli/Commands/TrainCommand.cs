using System.CommandLine;
using System.Text.Json;
using BioNer.Training;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner train</c>: fine-tunes a model for NER. With no arguments it runs the embedded default: the bundled CRAFT
/// sample with the built-in <c>minilm</c> encoder. Settings come from <c>--config run.json</c>; flags override it.
/// </summary>
internal static class TrainCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "Model folder, hub id, built-in 'minilm', or a fine-tuned BioNer model (two-step transfer)" };
    private static readonly Option<string[]> Train = new("--train") { Description = "Training corpus (repeat to concatenate several)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> Dev = new("--dev") { Description = "Dev corpus, evaluated after each epoch" };
    private static readonly Option<string> Test = new("--test") { Description = "Optional test corpus, scored at the end" };
    private static readonly Option<string> Out = new("--out") { Description = "Output folder" };
    private static readonly Option<string> Resume = new("--resume") { Description = "Continue the killed run in this output folder from its last checkpoint" };
    private static readonly Option<FileInfo> Config = new("--config") { Description = "run.json with training options (snake_case names); flags override it" };
    private static readonly Option<string> LabelMapOpt = new("--label-map") { Description = "Rename/drop entity types, e.g. CHEBI=Chemical,GGP=Protein,GO=-" };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Learning rate (3e-5)" };
    private static readonly Option<int?> Batch = new("--batch-size") { Description = "Train batch size (8)" };
    private static readonly Option<int?> EvalBatch = new("--eval-batch-size") { Description = "Eval batch size (8)" };
    private static readonly Option<long?> Seed = new("--seed") { Description = "Seed (42)" };
    private static readonly Option<int?> Epochs = new("--epochs") { Description = "Epochs (4)" };
    private static readonly Option<int?> MaxSteps = new("--max-steps") { Description = "Stop after N optimizer steps" };
    private static readonly Option<double?> WarmupRatio = new("--warmup-ratio") { Description = "Warm-up share of steps (0)" };
    private static readonly Option<int?> WarmupSteps = new("--warmup-steps") { Description = "Warm-up steps" };
    private static readonly Option<double?> WeightDecay = new("--weight-decay") { Description = "AdamW weight decay (0)" };
    private static readonly Option<int?> Accum = new("--grad-accum") { Description = "Gradient accumulation steps (1)" };
    private static readonly Option<double?> Clip = new("--max-grad-norm") { Description = "Gradient clipping (1.0; 0 disables)" };
    private static readonly Option<int?> MaxLength = new("--max-length") { Description = "Max sub-tokens per window (128); longer sentences are split" };
    private static readonly Option<bool?> LabelAll = new("--label-all-tokens") { Description = "Label every sub-token, not only the first" };
    private static readonly Option<int?> EvalSteps = new("--eval-steps") { Description = "Also evaluate every N steps" };
    private static readonly Option<int?> SaveSteps = new("--save-steps") { Description = "Also checkpoint every N steps" };
    private static readonly Option<int?> Patience = new("--early-stopping") { Description = "Stop after N evaluations without dev F1 improvement" };
    private static readonly Option<int?> Threads = new("--threads") { Description = "libtorch CPU threads (all cores)" };
    private static readonly Option<bool?> Last = new("--keep-last") { Description = "Keep the last weights instead of the best by dev F1" };
    private static readonly Option<bool?> NoGroup = new("--no-group-by-length") { Description = "Shuffle without length grouping" };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("train", "Fine-tune a RoBERTa/BERT model for NER (the reference recipe by default)");
        Option[] options = [Model, Train, Dev, Test, Out, Resume, Config, LabelMapOpt, Lr, Batch, EvalBatch, Seed, Epochs, MaxSteps,
            WarmupRatio, WarmupSteps, WeightDecay, Accum, Clip, MaxLength, LabelAll, EvalSteps, SaveSteps, Patience, Threads, Last, NoGroup];
        foreach (var o in options) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var view = new TrainingView(output);
            TrainResult result;
            if (parse.GetValue(Resume) is { } resume)
            {
                // A resumed run must end equal to the uninterrupted one, so it takes every setting from the run.json
                // saved in its folder; an option given beside --resume would be silently ignored, so it is refused.
                var given = options.Where(o => o != Resume && parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
                if (given.Count > 0)
                    throw new BioNerException($"--resume continues the run with the settings saved in {Path.Combine(resume, "run.json")}; " +
                                              $"remove {string.Join(", ", given)}");
                result = FineTuner.Resume(resume, view.Observer);
            }
            else result = FineTuner.Run(BuildRequest(parse), view.Observer);
            view.Summary(result);
            return 0;
        });
        return cmd;
    }

    private static TrainRequest BuildRequest(ParseResult p)
    {
        var o = p.GetValue(Config) is { } cfg ? ReadConfig(cfg) : new TrainingOptions();
        o = o with
        {
            LearningRate = p.GetValue(Lr) ?? o.LearningRate, TrainBatchSize = p.GetValue(Batch) ?? o.TrainBatchSize,
            EvalBatchSize = p.GetValue(EvalBatch) ?? o.EvalBatchSize, Seed = p.GetValue(Seed) ?? o.Seed,
            Epochs = p.GetValue(Epochs) ?? o.Epochs, MaxSteps = p.GetValue(MaxSteps) ?? o.MaxSteps,
            WarmupRatio = p.GetValue(WarmupRatio) ?? o.WarmupRatio, WarmupSteps = p.GetValue(WarmupSteps) ?? o.WarmupSteps,
            WeightDecay = p.GetValue(WeightDecay) ?? o.WeightDecay, GradientAccumulationSteps = p.GetValue(Accum) ?? o.GradientAccumulationSteps,
            MaxGradNorm = p.GetValue(Clip) ?? o.MaxGradNorm, MaxSequenceLength = p.GetValue(MaxLength) ?? o.MaxSequenceLength,
            LabelAllTokens = p.GetValue(LabelAll) ?? o.LabelAllTokens, EvalSteps = p.GetValue(EvalSteps) ?? o.EvalSteps,
            SaveSteps = p.GetValue(SaveSteps) ?? o.SaveSteps, EarlyStoppingPatience = p.GetValue(Patience) ?? o.EarlyStoppingPatience,
            Threads = p.GetValue(Threads) ?? o.Threads, LoadBestModelAtEnd = p.GetValue(Last) is true ? false : o.LoadBestModelAtEnd,
            GroupByLength = p.GetValue(NoGroup) is true ? false : o.GroupByLength,
        };
        // The bundled sample is the default for both splits or neither: mixing a user corpus with the sample's other
        // split would silently train or score on the wrong data.
        string[]? userTrain = p.GetValue(Train) is { Length: > 0 } t ? t : null;
        string? userDev = p.GetValue(Dev);
        if (userTrain is not null && userDev is null) throw new BioNerException("option --dev is required when --train is given");
        if (userTrain is null && userDev is not null) throw new BioNerException("option --train is required when --dev is given");
        string[] train = userTrain ?? [EmbeddedDefault.Resolve().Train];
        string dev = userDev ?? EmbeddedDefault.Resolve().Dev;
        return new TrainRequest(p.GetValue(Model) ?? "minilm", train, dev, p.GetValue(Out) ?? "runs/default", o)
        {
            TestFile = p.GetValue(Test),
            LabelMap = p.GetValue(LabelMapOpt),
        };
    }

    private static TrainingOptions ReadConfig(FileInfo file)
    {
        if (!file.Exists) throw new BioNerException("config file not found", file.FullName);
        try
        {
            return JsonSerializer.Deserialize<TrainingOptions>(File.ReadAllText(file.FullName), TrainingOptions.Json)
                   ?? throw new BioNerException("config is empty", file.FullName);
        }
        catch (JsonException e)
        {
            throw new BioNerException($"invalid config: {e.Message}", file.FullName, (int?)(e.LineNumber + 1));
        }
    }
}
