namespace BioNer.Tests.Evaluation;

/// <summary>Helpers: label sequences written as "B-PER I-PER O | O B-LOC" (sentences separated by '|').</summary>
internal static class EvalTestData
{
    public static IReadOnlyList<IReadOnlyList<string>> Seqs(string text) =>
        text.Split('|').Select(s => (IReadOnlyList<string>)s.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();

    public static IReadOnlyList<string> Seq(string text) => text.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Fixture(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "fixtures", "eval", .. parts]);
}
