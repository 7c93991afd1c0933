using System.CommandLine;
using System.Globalization;
using BioNer.Pretraining;
using BioNer.Training;

namespace BioNer.Cli.Commands;

/// <summary>
/// <c>bioner pretrain</c>: continued masked-language-model pretraining of an encoder on unlabelled text (HF
/// <c>run_mlm.py</c>), writing an HF <c>*ForMaskedLM</c> folder that <c>bioner train --model</c> fine-tunes.
/// </summary>
internal static class PretrainCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "Model folder, hub id or built-in 'minilm' to continue from", DefaultValueFactory = _ => "minilm" };
    private static readonly Option<string[]> Train = new("--train") { Description = "Text files or folders: plain text (a row per line), PubMed XML, BioC, PubTator, JSONL, or a labelled corpus (its sentences)", AllowMultipleArgumentsPerToken = true };
    private static readonly Option<string> Out = new("--out") { Description = "Output folder" };
    private static readonly Option<string> Resume = new("--resume") { Description = "Continue the killed run in this output folder from its last checkpoint" };
    private static readonly Option<FileInfo> Config = new("--config") { Description = "JSON file of the settings below, keyed by flag name with _ for - (or the config key shown); flags override it" };

    // The loop's settings are train's (one declaration); the NER-only ones are left out. Defaults: run_mlm.py's.
    private static readonly HashSet<string> NerOnly =
    [
        nameof(TrainingOptions.LabelAllTokens), nameof(TrainingOptions.EarlyStoppingPatience), nameof(TrainingOptions.LoadBestModelAtEnd),
        nameof(TrainingOptions.Bf16), nameof(TrainingOptions.ConstrainedDecoding), nameof(TrainingOptions.Head), nameof(TrainingOptions.CrfLearningRate),
    ];

    /// <summary>The loop defaults of <c>bioner pretrain</c>: HF Trainer's (lr 5e-5, 3 epochs), the rest as <c>train</c>.</summary>
    internal static readonly TrainingOptions Defaults = new() { LearningRate = 5e-5, Epochs = 3 };

    private static readonly SettingOptions<TrainingOptions> Loop = new(TrainingOptions.Json, s => !NerOnly.Contains(s.Property.Name), Defaults);
    private static readonly SettingOptions<MlmOptions> Data = new(MlmOptions.Json);

    /// <summary>The loop and data settings of a command line: a <c>--config</c> file over the defaults, then the flags.</summary>
    internal static (TrainingOptions Loop, MlmOptions Data) Settings(ParseResult parse)
    {
        var (loop, data) = parse.GetValue(Config) is { } cfg
            ? BioNer.Settings.ReadConfig(cfg.FullName, TrainingOptions.Json, Defaults, new MlmOptions(), s => !NerOnly.Contains(s.Property.Name))
            : (Defaults, new MlmOptions());
        return (Loop.Apply(loop, parse), Data.Apply(data, parse));
    }

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("pretrain", "Continue masked-language-model pretraining on unlabelled text (domain adaptation, as HF run_mlm.py)");
        Option[] options = [Model, Train, Out, Resume, Config, .. Loop.Options, .. Data.Options];
        foreach (var o in options) cmd.Options.Add(o);
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var view = new TrainingView(output);
            PretrainResult result;
            if (parse.GetValue(Resume) is { } resume)
            {
                TrainCommand.RefuseBesideResume(parse, options, Resume, Path.Combine(resume, PretrainRequest.FileName));
                result = Pretrainer.Resume(resume, view.Observer);
            }
            else
            {
                string[] train = parse.GetValue(Train) is { Length: > 0 } t ? t : throw new BioNerException("option --train is required: the text to pretrain on");
                string outDir = parse.GetValue(Out) ?? throw new BioNerException("option --out is required");
                var (loop, data) = Settings(parse);
                var request = new PretrainRequest(parse.GetValue(Model)!, train, outDir, loop, data);
                result = Pretrainer.Run(request, view.Observer);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"validation perplexity {result.PerplexityBefore:0.00} -> {result.PerplexityAfter:0.00}; {result.TrainSequences:N0} sequences, {result.TrainSeconds:0} s; model in {result.OutDir}"));
            return 0;
        });
        return cmd;
    }
}
