using System.Numerics;
using System.Text;
using System.Text.Json;

namespace BioNer.Evaluation;

/// <summary>One line of a classification report: an entity type or an average.</summary>
/// <param name="Name">The entity type (e.g. <c>Chemical</c>) or <c>micro avg</c> / <c>macro avg</c> / <c>weighted avg</c>.</param>
/// <param name="Precision">Correct predicted entities / predicted entities.</param>
/// <param name="Recall">Correct predicted entities / gold entities.</param>
/// <param name="F1">Harmonic mean of precision and recall (for macro/weighted: the mean of per-type F1).</param>
/// <param name="Support">Number of gold entities (for averages: of all types).</param>
public sealed record ScoreRow(string Name, double Precision, double Recall, double F1, long Support);

/// <summary>
/// seqeval's <c>classification_report</c>: one row per entity type (ordinal name order), then micro, macro and
/// weighted averages. Why a type and not a string: callers (training curves, model cards, the CLI table) want the
/// numbers; <see cref="ToText"/> and <see cref="ToJson"/> give seqeval's text and dict forms byte for byte.
/// </summary>
public sealed class ClassificationReport
{
    /// <summary>Creates a report from finished rows; <see cref="SeqevalMetrics.Evaluate"/> is the usual way to get one.</summary>
    public ClassificationReport(IReadOnlyList<ScoreRow> types, ScoreRow microAvg, ScoreRow macroAvg,
        ScoreRow weightedAvg, IReadOnlyList<string> warnings)
    {
        Types = types;
        MicroAvg = microAvg;
        MacroAvg = macroAvg;
        WeightedAvg = weightedAvg;
        Warnings = warnings;
    }

    /// <summary>Per entity type, sorted by ordinal name (Python's <c>sorted</c>); types seen in gold or predictions.</summary>
    public IReadOnlyList<ScoreRow> Types { get; }

    /// <summary>Scores from the total counts over all types (the headline P/R/F1).</summary>
    public ScoreRow MicroAvg { get; }

    /// <summary>Unweighted mean of the per-type scores (NaN when there is no type at all, as numpy's mean of nothing).</summary>
    public ScoreRow MacroAvg { get; }

    /// <summary>Mean of the per-type scores weighted by support.</summary>
    public ScoreRow WeightedAvg { get; }

    /// <summary>seqeval's <c>UndefinedMetricWarning</c>s: which scores had a zero denominator and were set to 0.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The type row named <paramref name="type"/>, or null.</summary>
    public ScoreRow? this[string type] => Types.FirstOrDefault(r => r.Name == type);

    /// <summary>
    /// The report as seqeval's <c>classification_report(..., digits=digits)</c> prints it: name column right-aligned to
    /// max(longest name, 12, digits), four 9-wide columns, half-even rounding of the exact binary value as Python's
    /// <c>format</c>, blank line after the header and the type rows, trailing newline.
    /// </summary>
    public string ToText(int digits = 4)
    {
        if (digits < 0) throw new BioNerException($"digits: must be >= 0, got {digits}.");
        int nameWidth = Types.Count == 0 ? 0 : Types.Max(r => r.Name.Length);
        int width = Math.Max(Math.Max(nameWidth, "weighted avg".Length), digits);
        var text = new StringBuilder();
        text.Append(new string(' ', width)).Append(' ');
        foreach (var header in new[] { "precision", "recall", "f1-score", "support" }) text.Append(' ').Append(header.PadLeft(9));
        text.Append("\n\n");
        var lines = new List<string>();
        lines.AddRange(Types.Select(r => Row(r, width, digits)));
        lines.Add("");
        lines.AddRange(new[] { MicroAvg, MacroAvg, WeightedAvg }.Select(r => Row(r, width, digits)));
        lines.Add("");
        return text.Append(string.Join('\n', lines)).ToString();
    }

    /// <summary>
    /// The report as seqeval's <c>output_dict=True</c> in JSON: <c>{"TYPE": {"precision", "recall", "f1-score",
    /// "support"}, ..., "micro avg", "macro avg", "weighted avg"}</c>. Numbers round-trip; NaN is written as null.
    /// </summary>
    public string ToJson(bool indented = true)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartObject();
            foreach (var row in Types.Append(MicroAvg).Append(MacroAvg).Append(WeightedAvg))
            {
                writer.WriteStartObject(row.Name);
                WriteNumber(writer, "precision", row.Precision);
                WriteNumber(writer, "recall", row.Recall);
                WriteNumber(writer, "f1-score", row.F1);
                writer.WriteNumber("support", row.Support);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteNull(name);
    }

    private static string Row(ScoreRow r, int width, int digits) =>
        $"{r.Name.PadLeft(width)}  {FormatFixed(r.Precision, digits),9} {FormatFixed(r.Recall, digits),9} " +
        $"{FormatFixed(r.F1, digits),9} {r.Support,9}";

    /// <summary>
    /// Python's <c>format(value, f".{digits}f")</c>: the exact binary value rounded half-to-even (.NET rounds ties away
    /// from zero, so 0.125 would print 0.13 instead of Python's 0.12).
    /// </summary>
    internal static string FormatFixed(double value, int digits)
    {
        if (double.IsNaN(value)) return "nan";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent = 1; else mantissa |= 1L << 52;
        int shift = 1075 - exponent; // |value| = mantissa * 2^-shift
        BigInteger scaled = mantissa * BigInteger.Pow(10, digits), rounded;
        if (shift <= 0)
        {
            rounded = scaled << -shift;
        }
        else
        {
            rounded = scaled >> shift;
            BigInteger remainder = scaled - (rounded << shift), half = BigInteger.One << (shift - 1);
            if (remainder > half || (remainder == half && !rounded.IsEven)) rounded += 1;
        }
        string number = rounded.ToString().PadLeft(digits + 1, '0');
        if (digits > 0) number = number[..^digits] + "." + number[^digits..];
        return (value < 0 || (value == 0 && double.IsNegative(value)) ? "-" : "") + number;
    }
}
