namespace BioNer;

/// <summary>
/// A problem with the user's input (a malformed file, an unknown label, a mismatched config, an out-of-range option).
/// Why a dedicated type: the CLI turns it into a one-line message and exit code 2 instead of a stack trace, and the
/// message always names where the problem is (file and line, or the option/field).
/// </summary>
public class BioNerException : Exception
{
    /// <summary>The file the problem was found in, when there is one.</summary>
    public string? File { get; }

    /// <summary>1-based line number inside <see cref="File"/>, when known.</summary>
    public int? Line { get; }

    /// <summary>Creates an input error; <paramref name="file"/> and <paramref name="line"/> are prefixed to the message.</summary>
    public BioNerException(string message, string? file = null, int? line = null, Exception? inner = null)
        : base(Format(message, file, line), inner)
    {
        File = file;
        Line = line;
    }

    private static string Format(string message, string? file, int? line) =>
        file is null ? message : line is null ? $"{file}: {message}" : $"{file}:{line}: {message}";
}
