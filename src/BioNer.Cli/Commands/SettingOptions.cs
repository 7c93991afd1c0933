using System.CommandLine;
using System.Text.Json;

namespace BioNer.Cli.Commands;

/// <summary>
/// The System.CommandLine options of an options record, built from its <see cref="SettingAttribute"/> declarations
/// (flag, help text, default shown in help), and the values a command line gives them. Why: a verb declares no flag
/// by hand that a config key also names, so the two cannot drift apart (HF <c>HfArgumentParser</c>).
/// </summary>
/// <typeparam name="T">The options record (e.g. <see cref="BioNer.Training.TrainingOptions"/>).</typeparam>
internal sealed class SettingOptions<T> where T : new()
{
    private readonly JsonSerializerOptions _json;
    private readonly List<(Setting Setting, Option Option)> _options = [];

    /// <summary>One option per setting of <typeparamref name="T"/>; <paramref name="json"/> is the record's serialiser
    /// settings. <paramref name="include"/> keeps a subset (a verb that uses only some of a shared record's settings);
    /// <paramref name="defaults"/> is the verb's baseline when it is not <c>new T()</c>, shown as the defaults in help.</summary>
    public SettingOptions(JsonSerializerOptions json, Func<Setting, bool>? include = null, T? defaults = default)
    {
        _json = json;
        foreach (var s in Settings.Of<T>(json).Where(s => include?.Invoke(s) ?? true))
        {
            // The key is shown where it is not the flag spelled with underscores (learning_rate for --lr).
            string key = s.FlagClears ? $" [config key: {s.Key} = false]" : s.Flag[2..].Replace('-', '_') == s.Key ? "" : $" [config key: {s.Key}]";
            string shown = defaults is null || s.FlagClears ? s.DefaultText : Setting.Format(s.Property.GetValue(defaults));
            string help = $"{s.Help} [default: {shown}]{key}";
            Option option = s.Property.PropertyType switch
            {
                var t when t == typeof(double) => new Option<double?>(s.Flag) { Description = help },
                var t when t == typeof(int) => new Option<int?>(s.Flag) { Description = help },
                var t when t == typeof(long) => new Option<long?>(s.Flag) { Description = help },
                var t when t == typeof(bool) => new Option<bool?>(s.Flag) { Description = help },
                var t when t == typeof(string) => new Option<string?>(s.Flag) { Description = help },
                var t => throw new NotSupportedException($"setting {s.Flag}: no command-line option for {t.Name}"),
            };
            _options.Add((s, option));
        }
    }

    /// <summary>Whether the command line gave the setting of <paramref name="property"/> (pass <c>nameof</c>).</summary>
    public bool Given(ParseResult parse, string property) =>
        _options.Any(o => o.Setting.Property.Name == property && parse.GetResult(o.Option) is { Implicit: false });

    /// <summary>The options, in declaration order, to add to a command.</summary>
    public IEnumerable<Option> Options => _options.Select(o => o.Option);

    /// <summary><paramref name="baseline"/> (the defaults or a config file) with every setting given on the command line applied.</summary>
    public T Apply(T baseline, ParseResult parse)
    {
        var changes = new List<(Setting, object?)>();
        foreach (var (s, option) in _options)
        {
            if (parse.GetResult(option) is not { Implicit: false }) continue;
            object? value = option switch
            {
                Option<double?> d => parse.GetValue(d),
                Option<int?> i => parse.GetValue(i),
                Option<long?> l => parse.GetValue(l),
                Option<bool?> b => (parse.GetValue(b) ?? true) != s.FlagClears,
                Option<string?> t => parse.GetValue(t),
                _ => throw new NotSupportedException(option.Name),
            };
            changes.Add((s, value));
        }
        return changes.Count == 0 ? baseline : Settings.With(baseline, changes, _json);
    }
}
