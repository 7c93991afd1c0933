namespace BioNer.Cli.Commands;

/// <summary><c>--decode argmax|constrained</c>: how word labels are chosen from the model's probabilities.</summary>
internal static class DecodeOption
{
    /// <summary>True for <c>constrained</c>, false for <c>argmax</c>; anything else is a usage error naming both.</summary>
    public static bool Constrained(string value) => value.Trim().ToLowerInvariant() switch
    {
        "argmax" => false,
        "constrained" => true,
        _ => throw new BioNerException($"--decode: unknown decoding '{value}' (argmax, constrained)"),
    };
}
