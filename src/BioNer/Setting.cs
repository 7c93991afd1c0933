using System.Globalization;
using System.Reflection;

namespace BioNer;

/// <summary>One declared setting: its property, flag, config key, help text and default.</summary>
/// <param name="Property">The options property.</param>
/// <param name="Flag">The command-line flag, with its dashes (<c>--lr</c>).</param>
/// <param name="Key">The config-file key: the property name as the options' JSON naming policy writes it (<c>learning_rate</c>).</param>
/// <param name="Help">Help text.</param>
/// <param name="FlagClears">The flag sets the (bool) property to false.</param>
/// <param name="Default">The property's value on a default-constructed record.</param>
public sealed record Setting(PropertyInfo Property, string Flag, string Key, string Help, bool FlagClears, object? Default)
{
    /// <summary>How messages name it: <c>--lr (config key learning_rate)</c>.</summary>
    public override string ToString() => $"{Flag} (config key {Key})";

    /// <summary>The flag's default as help shows it (for a clearing switch: false).</summary>
    public string DefaultText => FlagClears ? "false" : Format(Default);

    /// <summary>A value as help and messages show it (invariant culture, doubles round-trip, lower-case booleans).</summary>
    public static string Format(object? value) => value switch
    {
        null => "none",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture).ToLowerInvariant(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
