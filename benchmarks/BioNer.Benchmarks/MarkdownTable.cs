using System.Globalization;

namespace BioNer.Benchmarks;

/// <summary>A markdown table printed with aligned columns, so it reads in a terminal and pastes into RESULTS.md.</summary>
public sealed class MarkdownTable(params string[] headers)
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds a row; numbers should already be formatted.</summary>
    public void Add(params object[] cells) =>
        _rows.Add(cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture) ?? "").ToArray());

    /// <summary>Writes the table: first column left-aligned, the others right-aligned.</summary>
    public void Print(TextWriter? writer = null)
    {
        writer ??= Console.Out;
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        string Line(IReadOnlyList<string> cells) =>
            "| " + string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))) + " |";
        writer.WriteLine(Line(headers));
        writer.WriteLine("| " + string.Join(" | ", widths.Select((w, i) => i == 0 ? new string('-', w) : new string('-', w - 1) + ":")) + " |");
        foreach (var r in _rows) writer.WriteLine(Line(r));
    }
}
