using System.Text.Json;
using BioNer.Data;
using BioNer.Translation;
using static BioNer.Tests.CliRunner;

namespace BioNer.Tests.Translation;

/// <summary>
/// Runs the real <c>apertium</c> program (Debian: <c>apt-get install apertium apertium-eng-spa</c>, done by
/// scripts/setup-debian.sh in CI). Without it these tests are skipped with the reason, and fail under <c>CI=true</c>.
/// </summary>
public class ApertiumBackendTests
{
    private static readonly Lazy<bool> EngSpa = new(() =>
    {
        if (Requires.Find("apertium") is not { } program) return false;
        using var list = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(program, "-l") { RedirectStandardOutput = true })!;
        string modes = list.StandardOutput.ReadToEnd();
        list.WaitForExit();
        return modes.Split('\n', StringSplitOptions.TrimEntries).Contains("eng-spa");
    });

    /// <summary>Skips (fails under CI) unless <c>apertium</c> with the <c>eng-spa</c> mode is installed.</summary>
    internal static void RequireApertium() =>
        Requires.That(EngSpa.Value, "apertium with its eng-spa pair is not installed (apt-get install apertium apertium-eng-spa; scripts/setup-debian.sh does it)");

    private static async Task<IReadOnlyList<string>> Translate(params string[] texts)
    {
        RequireApertium();
        using var backend = TranslationBackends.Create("apertium");
        return await backend.TranslateAsync(texts, "en", "es", CancellationToken.None);
    }

    [Fact]
    public void Create_Apertium_ModeFromLanguages()
    {
        using var backend = TranslationBackends.Create("apertium", new BackendSettings { Source = "en", Target = "es" });
        Assert.Equal("apertium:eng-spa", backend.Name);
        Assert.Equal(MarkerStyle.WordBound, backend.PreferredMarkerStyle);
        using var explicitMode = TranslationBackends.Create("apertium:spa-eng");
        Assert.Equal("apertium:spa-eng", explicitMode.Name);
    }

    [Fact]
    public async Task TranslateAsync_RealApertium_OneAnswerPerTextInOrder()
    {
        var answers = await Translate("The mouse", "", "Second line\nwith a break", "The cells", "no final full stop");
        Assert.Equal(5, answers.Count);
        Assert.Contains("ratón", answers[0]);
        Assert.Equal("", answers[1]);
        Assert.DoesNotContain("\n", answers[2]);
        Assert.Contains("celdas", answers[3]);
    }

    [Fact]
    public async Task TranslateAsync_FinalFullStop_Kept()
    {
        var answers = await Translate("It varies in some strains.", "Mice were old.");
        Assert.EndsWith("tensiones.", answers[0]);
        Assert.EndsWith(".", answers[1]);
    }

    [Fact]
    public async Task TranslateAsync_SpecialCharacters_RoundTrip()
    {
        var answers = await Translate("The α-helix of Na+/K+ ATPase binds [3H]thymidine at 37 °C ± 2 with β-catenin, {x} <y> x\\y ^ $ @ ~50 %.");
        foreach (string kept in new[] { "α", "Na+/K+", "[3H]thymidine", "37 °C ± 2", "β-catenin", "{x}", "<y>", "x\\y", "^", "$", "@", "~50" })
            Assert.Contains(kept, answers[0]);
        Assert.DoesNotContain("*", answers[0]); // -u: no unknown-word marks
    }

    [Fact]
    public async Task TranslateAsync_WordBoundBlanks_FollowTheirWords()
    {
        var answers = await Translate("Loss of [[t:0]]KCNJ10[[/]] protein in [[t:1]]mouse brain cells[[/]].");
        Assert.Contains("[[t:0]]KCNJ10[[/]]", answers[0]);
        Assert.Contains("[[t:1]]ratón[[/]]", answers[0]);
        Assert.Contains("[[t:1]]cerebro[[/]]", answers[0]);
    }

    [Fact]
    public async Task TranslateAsync_UnknownMode_SaysWhatToInstall()
    {
        RequireApertium();
        using var backend = TranslationBackends.Create("apertium:eng-xyz");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a"], "en", "es", CancellationToken.None));
        Assert.Contains("no mode 'eng-xyz'", e.Message);
        Assert.Contains("eng-spa", e.Message); // lists what is installed
        Assert.Contains("apt-get install", e.Message);
    }

    [Fact]
    public async Task TranslateAsync_MissingProgram_SaysWhatToInstall()
    {
        using var backend = new ApertiumBackend(null, "en", "es", program: "/nonexistent/apertium");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a"], "en", "es", CancellationToken.None));
        Assert.Contains("Apertium is not installed", e.Message);
        Assert.Contains("apt-get install apertium apertium-eng-spa", e.Message);
    }

    [Fact]
    public void Translate_CraftSentences_ProjectsEveryEntityWithWordBoundMarkers()
    {
        RequireApertium();
        using var dir = new TempDir();
        string input = dir.File("en.conll"), output = dir.File("es.conll");
        CorpusIO.Write(new Corpus(
        [
            Fakes.S("Loss of KCNJ10/B-Protein protein in mouse/B-Cell brain/I-Cell cells/I-Cell ."),
            Fakes.S("Mice/B-Taxon lacking Pax6/B-Protein show 5 °C ± 2 changes in Na+ / K+ ATPase/B-Protein ."),
            Fakes.S("The wild/B-Sequence type/I-Sequence allele/I-Sequence is dominant ."),
        ]), input);
        var (code, stdout, stderr) = Run("translate", "--in", input, "--out", output, "--backend", "apertium", "--batch", "2");
        Assert.True(code == 0, stderr);
        Assert.Contains("apertium:eng-spa (markers, wordbound)", stdout);
        Assert.Contains("entities:  6 in, 6 projected", stdout);
        var es = CorpusIO.Read(output).Sentences.Select(s => Fakes.Render(s.Words, s.Labels)).ToList();
        Assert.Contains("KCNJ10/B-Protein", es[0]);
        Assert.Contains("ratón/I-Cell", es[0]);
        Assert.Contains("ratones/I-Taxon", es[1]);
        Assert.Contains("Pax6/B-Protein", es[1]);
        Assert.Contains("° C ± 2", es[1]);
        using var report = JsonDocument.Parse(File.ReadAllText(output + ".report.json"));
        Assert.Equal("wordbound", report.RootElement.GetProperty("marker_style").GetString());
    }
}
