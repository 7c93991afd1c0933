using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using BioNer.Cli.Commands;
using BioNer.Training;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Cli;

/// <summary>
/// <c>bioner train</c> flags and <c>--config</c> keys come from the one <see cref="SettingAttribute"/> declaration on
/// <see cref="TrainingOptions"/>: every property is reachable both ways, under agreeing names.
/// </summary>
public class TrainSettingsTests
{
    /// <summary>Every public property of the record, found by reflection (not from the declaration under test).</summary>
    public static TheoryData<string> Properties() =>
        new(typeof(TrainingOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name));

    private static readonly TrainingOptions Defaults = new();

    private static TrainingOptions Parse(params string[] args)
    {
        var parse = TrainCommand.Create().Parse(args);
        Assert.Empty(parse.Errors);
        return TrainCommand.Options(parse);
    }

    /// <summary>A value unlike the default, and how a command line writes it (null: a bare switch).</summary>
    private static (object Value, string? Arg) Changed(PropertyInfo p)
    {
        object d = p.GetValue(Defaults)!;
        return d switch
        {
            double x => (x + 0.25, (x + 0.25).ToString("R", CultureInfo.InvariantCulture)),
            int x => (x + 3, (x + 3).ToString(CultureInfo.InvariantCulture)),
            long x => (x + 3, (x + 3).ToString(CultureInfo.InvariantCulture)),
            bool x => (!x, null),
            string x => (x == "crf" ? "softmax" : "crf", x == "crf" ? "softmax" : "crf"),
            _ => throw new NotSupportedException(p.PropertyType.Name),
        };
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void Flag_EachTrainingOption_SetsThatPropertyOnly(string property)
    {
        var p = typeof(TrainingOptions).GetProperty(property)!;
        var s = TrainingOptions.SettingOf(property);
        var (value, arg) = Changed(p);
        var o = Parse(arg is null ? [s.Flag] : [s.Flag, arg]);
        Assert.Equal(value, p.GetValue(o));
        Assert.Equal(Defaults, ResetProperty(o, p));       // nothing else changed
    }

    [Theory]
    [MemberData(nameof(Properties))]
    public void ConfigKey_EachTrainingOption_SetsThatPropertyAsTheFlagDoes(string property)
    {
        var p = typeof(TrainingOptions).GetProperty(property)!;
        var s = TrainingOptions.SettingOf(property);
        var (value, arg) = Changed(p);
        using var tmp = new TempDir();
        string config = tmp.Write("run.json", $"{{ \"{s.Key}\": {JsonSerializer.Serialize(value)} }}");
        var fromConfig = Parse("--config", config);
        Assert.Equal(value, p.GetValue(fromConfig));
        Assert.Equal(Parse(arg is null ? [s.Flag] : [s.Flag, arg]), fromConfig);
    }

    [Fact]
    public void ConfigKeys_AreThePropertyNamesTheRecordSerialises()
    {
        // run.json files written by earlier runs (and samples/recipes) use the serialised names: the keys must be those.
        var written = JsonSerializer.SerializeToNode(Defaults, TrainingOptions.Json)!.AsObject().Select(kv => kv.Key);
        Assert.Equal(written.Order(), TrainingOptions.Declared.Select(s => s.Key).Order());
    }

    [Fact]
    public void Flags_AreUniqueAndEachIsAnOptionOfTrain()
    {
        var flags = TrainingOptions.Declared.Select(s => s.Flag).ToList();
        Assert.Equal(flags.Count, flags.Distinct().Count());
        var train = TrainCommand.Create();
        foreach (var f in flags) Assert.Contains(train.Options, o => o.Name == f);
        // Settings need no hand-declared option besides the inputs, outputs, --config and --recipe (which picks the baseline).
        var inputs = train.Options.Select(o => o.Name).Except(flags).Order();
        Assert.Equal(["--config", "--dev", "--eval-also", "--label-map", "--model", "--out", "--recipe", "--resume", "--test", "--train"], inputs);
    }

    [Theory]
    [InlineData("--lr", "--batch-size", "--eval-batch-size", "--grad-accum", "--max-grad-norm", "--max-length", "--keep-last",
        "--no-group-by-length", "--early-stopping", "--threads", "--seed", "--epochs", "--max-steps", "--warmup-ratio",
        "--warmup-steps", "--weight-decay", "--label-all-tokens", "--eval-steps", "--save-steps")]
    public void Flags_NamesUsedByScriptsAndDocs_StillExist(params string[] names)
    {
        var flags = TrainingOptions.Declared.Select(s => s.Flag).ToHashSet();
        foreach (var n in names) Assert.Contains(n, flags);
    }

    [Fact]
    public void Help_Train_ListsEverySettingWithItsHelpAndDefault()
    {
        var (code, output, _) = Run("train", "--help");
        Assert.Equal(0, code);
        string flat = string.Join(' ', output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        foreach (var s in TrainingOptions.Declared)
        {
            Assert.Contains(s.Flag, output);
            Assert.Contains($"{s.Help} [default: {s.DefaultText}]", flat);
            // Help tells the config key: the flag with underscores, or shown beside it.
            Assert.True(s.Flag[2..].Replace('-', '_') == s.Key || flat.Contains($"[config key: {s.Key}", StringComparison.Ordinal), s.Flag);
        }
        Assert.Contains("Learning rate [default: 3e-05]", flat);
        Assert.Contains("--keep-last", output);
    }

    [Fact]
    public void Flags_OverrideConfig_AndSwitchesClearTheirProperty()
    {
        using var tmp = new TempDir();
        string config = tmp.Write("run.json", "{ \"learning_rate\": 1e-4, \"epochs\": 7, \"load_best_model_at_end\": true }");
        var o = Parse("--config", config, "--epochs", "2", "--keep-last", "--no-group-by-length");
        Assert.Equal(1e-4, o.LearningRate);
        Assert.Equal(2, o.Epochs);
        Assert.False(o.LoadBestModelAtEnd);
        Assert.False(o.GroupByLength);
        Assert.True(Parse("--keep-last", "false").LoadBestModelAtEnd);
    }

    [Theory]
    [InlineData("epochz", "epochs")]
    [InlineData("lr", "learning_rate (the key of --lr)")]
    [InlineData("batch_size", "train_batch_size")]
    public void Config_UnknownKey_NamesFileLineKeyAndClosestKeys(string key, string suggestion)
    {
        using var tmp = new TempDir();
        string config = tmp.Write("run.json", $"{{\n  \"seed\": 1,\n  \"{key}\": 2\n}}\n");
        var (code, _, err) = Run("train", "--config", config);
        Assert.Equal(2, code);
        Assert.StartsWith($"error: {config}:3: unknown key '{key}'; closest valid keys: ", err);
        Assert.Contains(suggestion, err);
    }

    [Fact]
    public void Config_WrongValueType_NamesKeyLineAndFlag()
    {
        using var tmp = new TempDir();
        string config = tmp.Write("run.json", "{\n  \"epochs\": \"many\"\n}\n");
        var (code, _, err) = Run("train", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains($"{config}:2: key 'epochs' needs a whole number (as flag --epochs)", err);
    }

    [Theory]
    [InlineData(nameof(TrainingOptions.Beta1), "--beta1 (config key beta1)")]
    [InlineData(nameof(TrainingOptions.Epsilon), "--epsilon (config key epsilon)")]
    [InlineData(nameof(TrainingOptions.LoggingSteps), "--logging-steps (config key logging_steps)")]
    [InlineData(nameof(TrainingOptions.LearningRate), "--lr (config key learning_rate)")]
    public void Validate_OutOfRange_NamesAFlagAndKeyThatExist(string property, string named)
    {
        var p = typeof(TrainingOptions).GetProperty(property)!;
        var bad = Defaults with { };
        p.SetValue(bad, p.PropertyType == typeof(double) ? -1.0 : (object)0);
        var e = Assert.Throws<BioNerException>(bad.Validate);
        Assert.StartsWith($"option {named} ", e.Message);
        Assert.Contains(TrainCommand.Create().Options, o => o.Name == TrainingOptions.SettingOf(property).Flag);
    }

    // o with property p set back to its default (records compare by value).
    private static TrainingOptions ResetProperty(TrainingOptions o, PropertyInfo p)
    {
        var copy = o with { };
        p.SetValue(copy, p.GetValue(Defaults));
        return copy;
    }
}
