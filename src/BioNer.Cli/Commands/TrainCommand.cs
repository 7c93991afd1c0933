using System.CommandLine;
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
    private static readonly Option<string[]> EvalAlso = new("--eval-also") { Description = "[NAME=]FILE: also score this corpus at every evaluation (its own table; selection stays on --dev); repeatable" };
    private static readonly Option<string> Out = new("--out") { Description = "Output folder" };
    private static readonly Option<string> Resume = new("--resume") { Description = "Continue the killed run in this output folder from its last checkpoint" };
    private static readonly Option<FileInfo> Config = new("--config") { Description = "JSON file of the settings below, keyed by flag name with _ for - (or the config key shown); flags override it" };
    private static readonly Option<string> RecipeOpt = new("--recipe") { Description = "Starting settings when no --config is given (flags apply on top): auto (small-encoder for the built-in minilm, else seed) | seed (the reference model's exact recipe) | small-encoder (lr 1e-4, CRF head)", DefaultValueFactory = _ => TrainingRecipes.Auto };
    private static readonly Option<string> LabelMapOpt = new("--label-map") { Description = "Rename/drop entity types, e.g. CHEBI=Chemical,GGP=Protein,GO=-" };

    // Every TrainingOptions property, from its [Setting] declaration: the same names as the --config keys.
    private static readonly SettingOptions<TrainingOptions> Hyper = new(TrainingOptions.Json);

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("train", "Fine-tune a RoBERTa/BERT model for NER (the reference recipe by default)");
        Option[] options = [Model, Train, Dev, Test, EvalAlso, Out, Resume, Config, RecipeOpt, LabelMapOpt, .. Hyper.Options];
        foreach (var o in options) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var view = new TrainingView(output);
            TrainResult result;
            if (parse.GetValue(Resume) is { } resume)
            {
                RefuseBesideResume(parse, options, Resume, Path.Combine(resume, TrainRequest.FileName));
                result = FineTuner.Resume(resume, view.Observer);
            }
            else result = FineTuner.Run(BuildRequest(parse), view.Observer);
            view.Summary(result);
            return 0;
        });
        return cmd;
    }

    /// <summary>
    /// A resumed run must end equal to the uninterrupted one, so it takes every setting from the file saved in its
    /// folder (<paramref name="settingsFile"/>); an option given beside <paramref name="resume"/> would be silently
    /// ignored, so it is refused by name.
    /// </summary>
    internal static void RefuseBesideResume(ParseResult parse, IEnumerable<Option> options, Option resume, string settingsFile)
    {
        var given = options.Where(o => o != resume && parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
        if (given.Count > 0)
            throw new BioNerException($"--resume continues the run with the settings saved in {settingsFile}; remove {string.Join(", ", given)}");
    }

    internal static TrainRequest BuildRequest(ParseResult p)
    {
        string model = p.GetValue(Model) ?? "minilm";
        string recipe = TrainingRecipes.Resolve(p.GetValue(RecipeOpt)!, model);
        var o = Options(p, recipe);
        // The bundled sample is the default for both splits or neither: mixing a user corpus with the sample's other
        // split would silently train or score on the wrong data.
        string[]? userTrain = p.GetValue(Train) is { Length: > 0 } t ? t : null;
        string? userDev = p.GetValue(Dev);
        if (userTrain is not null && userDev is null) throw new BioNerException("option --dev is required when --train is given");
        if (userTrain is null && userDev is not null) throw new BioNerException("option --train is required when --dev is given");
        string[] train = userTrain ?? [EmbeddedDefault.Resolve().Train];
        string dev = userDev ?? EmbeddedDefault.Resolve().Dev;
        // The bundled sample is small (380 sentences): 4 epochs are too few steps for its rarest types, so the embedded
        // default runs more unless the epochs were chosen (README, "What a run prints").
        if (userTrain is null && recipe == TrainingRecipes.SmallEncoder && p.GetValue(Config) is null && !Hyper.Given(p, nameof(TrainingOptions.Epochs)))
            o = o with { Epochs = EmbeddedDefault.SampleEpochs };
        return new TrainRequest(model, train, dev, p.GetValue(Out) ?? "runs/default", o)
        {
            TestFile = p.GetValue(Test),
            EvalSets = p.GetValue(EvalAlso) is { Length: > 0 } sets ? sets.Select(EvalSet.Parse).ToList() : null,
            LabelMap = p.GetValue(LabelMapOpt),
            Recipe = p.GetValue(Config) is null ? recipe : null,
        };
    }

    /// <summary>
    /// The training options of a parsed command line: a <c>--config</c> file (complete settings) or the recipe's
    /// starting point (<see cref="TrainingRecipes"/>; the reference recipe when none is named), then the flags.
    /// </summary>
    internal static TrainingOptions Options(ParseResult p, string recipe = TrainingRecipes.Seed) =>
        Hyper.Apply(p.GetValue(Config) is { } cfg ? TrainingOptions.ReadConfig(cfg.FullName) : TrainingRecipes.Options(recipe), p);
}
