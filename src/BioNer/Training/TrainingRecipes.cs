namespace BioNer.Training;

/// <summary>
/// Named starting points for <see cref="TrainingOptions"/>, which flags and <c>--config</c> keys then override. Why more
/// than one: the defaults of <see cref="TrainingOptions"/> are the seed model's recipe (lr 3e-5 for a 125 M-parameter
/// RoBERTa), which leaves the built-in 22 M-parameter MiniLM under-trained — on the bundled sample it ends with F1 0
/// for three of six types — so <c>bioner train</c> gives the built-in encoder the settings measured to suit it
/// (benchmarks/RESULTS.md, issue 14), and the seed's recipe stays one flag away (<c>--recipe seed</c>).
/// </summary>
public static class TrainingRecipes
{
    /// <summary>Pick by model: <see cref="SmallEncoder"/> for the built-in MiniLM, <see cref="Seed"/> for any other.</summary>
    public const string Auto = "auto";

    /// <summary>The seed model's exact recipe: the defaults of <see cref="TrainingOptions"/>.</summary>
    public const string Seed = "seed";

    /// <summary>BioNer's settings for a small (MiniLM-sized) encoder: a higher learning rate and a CRF head.</summary>
    public const string SmallEncoder = "small-encoder";

    /// <summary>The recipe names.</summary>
    public static readonly IReadOnlyList<string> Names = [Auto, Seed, SmallEncoder];

    /// <summary>The recipe <paramref name="name"/> means for <paramref name="model"/> (as given to <c>--model</c>).</summary>
    /// <exception cref="BioNerException">An unknown name (lists the known ones).</exception>
    public static string Resolve(string name, string model) => name.Trim().ToLowerInvariant() switch
    {
        Auto => Checkpoints.ModelResolver.BuiltIns.Contains(model.Trim().ToLowerInvariant()) ? SmallEncoder : Seed,
        Seed => Seed,
        SmallEncoder => SmallEncoder,
        _ => throw new BioNerException($"--recipe: unknown recipe '{name}' ({string.Join(", ", Names)})"),
    };

    /// <summary>The options a resolved recipe starts from.</summary>
    public static TrainingOptions Options(string recipe) => recipe switch
    {
        SmallEncoder => new TrainingOptions { LearningRate = 1e-4, Head = Modeling.ModelConfig.CrfHead },
        _ => new TrainingOptions(),
    };

    /// <summary>How a model card names the recipe a run started from.</summary>
    public static string Describe(string? recipe) => recipe switch
    {
        SmallEncoder => "small-encoder (BioNer's defaults for the built-in MiniLM: lr 1e-4, CRF head; the seed model's exact recipe is `--recipe seed`)",
        Seed => "seed (the reference model's recipe: lr 3e-5, batch 8, 4 epochs, softmax head)",
        _ => "custom",
    };
}
