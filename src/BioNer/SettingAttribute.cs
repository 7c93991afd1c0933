namespace BioNer;

/// <summary>
/// Declares a property of an options record as a user setting, as HF's <c>HfArgumentParser</c> does with a dataclass
/// field: the one declaration gives the command-line flag, the config-file key and the help text. Why: flags, keys,
/// help and error messages written in separate places drift apart (a message once named a flag that did not exist).
/// </summary>
/// <param name="help">Help text of the flag (without the default; help shows it from the property's initial value).</param>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SettingAttribute(string help) : Attribute
{
    /// <summary>The help text.</summary>
    public string Help { get; } = help;

    /// <summary>The flag without dashes when it is not the kebab-case property name (<c>lr</c> for <c>LearningRate</c>).</summary>
    public string? Flag { get; set; }

    /// <summary>A switch that turns a true-by-default bool off (<c>--keep-last</c> sets <c>LoadBestModelAtEnd</c> false).</summary>
    public bool FlagClears { get; set; }
}
