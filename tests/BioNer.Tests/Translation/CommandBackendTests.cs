using BioNer.Data;
using BioNer.Tests.Data;
using BioNer.Translation;

namespace BioNer.Tests.Translation;

public class CommandBackendTests
{
    private static ITranslationBackend Script(TempDir dir, string body) =>
        TranslationBackends.Create($"command:bash {dir.Write("mt.sh", "set -e\n" + body + "\n")}");

    [Fact]
    public async Task TranslateAsync_SedScript_OneLinePerInput()
    {
        using var dir = new TempDir();
        using var backend = Script(dir, "sed -e 's/aspirin/aspirina/g' -e 's/^The /La /'");
        var result = await backend.TranslateAsync(["The aspirin dose", "ácido α 🧪 aspirin", ""], "en", "es", CancellationToken.None);
        Assert.Equal(["La aspirina dose", "ácido α 🧪 aspirina", ""], result);
    }

    [Fact]
    public async Task TranslateAsync_Placeholders_ReceiveLanguageCodes()
    {
        using var dir = new TempDir();
        using var backend = Script(dir, "while IFS= read -r line; do echo \"$1>$2: $line\"; done");
        using var withArgs = TranslationBackends.Create($"command:bash {dir.File("mt.sh")} {{source}} {{target}}");
        Assert.Equal(["en>es: hi"], await withArgs.TranslateAsync(["hi"], "en", "es", CancellationToken.None));
    }

    [Fact]
    public async Task TranslateAsync_WrongLineCount_ThrowsClearError()
    {
        using var dir = new TempDir();
        using var backend = Script(dir, "head -n 1");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a", "b", "c"], "en", "es", CancellationToken.None));
        Assert.Contains("printed 1 lines for 3 input lines", e.Message);
    }

    [Fact]
    public async Task TranslateAsync_NonZeroExit_QuotesStderr()
    {
        using var dir = new TempDir();
        using var backend = Script(dir, "echo 'model file missing' >&2; exit 3");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a"], "en", "es", CancellationToken.None));
        Assert.Contains("exited with code 3", e.Message);
        Assert.Contains("model file missing", e.Message);
        Assert.False(e.Transient);
    }

    [Fact]
    public async Task TranslateAsync_MissingProgram_ThrowsClearError()
    {
        using var backend = TranslationBackends.Create("command:/nonexistent/bioner-mt --fast");
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a"], "en", "es", CancellationToken.None));
        Assert.Contains("cannot start '/nonexistent/bioner-mt'", e.Message);
    }

    [Fact]
    public async Task TranslateAsync_Hangs_TimesOut()
    {
        using var dir = new TempDir();
        using var backend = new CommandBackend("bash", [dir.Write("slow.sh", "sleep 30\n")], TimeSpan.FromMilliseconds(300));
        var e = await Assert.ThrowsAsync<TranslationBackendException>(() => backend.TranslateAsync(["a"], "en", "es", CancellationToken.None));
        Assert.Contains("did not finish", e.Message);
    }

    [Fact]
    public async Task CorpusTranslator_UppercasingCommand_RepairsTypeCase()
    {
        using var dir = new TempDir();
        using var backend = Script(dir, "tr 'a-z' 'A-Z'");
        var corpus = new Corpus([Fakes.S("The aspirin/B-Chemical dose ."), Fakes.S("p53/B-Protein binds .")]);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()));
        Assert.Equal(["THE ASPIRIN/B-Chemical DOSE .", "P53/B-Protein BINDS ."], result.Corpus.Sentences.Select(s => Fakes.Render(s.Words, s.Labels)));
        Assert.Equal(2, result.Report.SentencesRepaired);
        Assert.Equal(2, result.Report.Repairs["TypeCase"]);
    }

    [Fact]
    public async Task CorpusTranslator_MarkerManglingCommand_DropsAndCounts()
    {
        using var dir = new TempDir();
        // Loses every closing marker, then translates: one-entity-at-end sentences are repaired, the rest dropped.
        using var backend = Script(dir, "sed -e 's/ \\]//g' -e 's/aspirin/aspirina/g'");
        var corpus = new Corpus(
        [
            Fakes.S("Take aspirin/B-Chemical ."),
            Fakes.S("The aspirin/B-Chemical dose ."),
            Fakes.S("aspirin/B-Chemical binds p53/B-Protein"),
            Fakes.S("No entity ."),
        ]);
        var result = await CorpusTranslator.TranslateAsync(corpus, new Translator(backend, Fakes.Options()));
        var r = result.Report;
        Assert.Equal(["Take aspirina/B-Chemical .", "No entity ."], result.Corpus.Sentences.Select(s => Fakes.Render(s.Words, s.Labels)));
        Assert.Equal((4, 2, 1, 2), (r.Sentences, r.SentencesKept, r.SentencesRepaired, r.SentencesDropped));
        Assert.Equal((4, 1, 3), (r.Entities, r.EntitiesProjected, r.EntitiesDropped));
        Assert.Equal((3, 1, 2), (r.Types["Chemical"].Source, r.Types["Chemical"].Projected, r.Types["Chemical"].Dropped));
        Assert.Equal(1, r.SentenceDrops["UnbalancedMarkers"]); // mid-sentence entity left open
        Assert.Equal(1, r.SentenceDrops["NestedMarkers"]);     // second marker opens inside the unclosed first
        Assert.Equal(2, r.Examples.Count);
        Assert.Equal("The [Chemical| aspirin ] dose.", r.Examples[0].Sent);
        Assert.Equal("The [Chemical| aspirina dose.", r.Examples[0].Received);
    }

    [Theory]
    [InlineData("marian-decoder -c 'my model.yml' --cpu", new[] { "marian-decoder", "-c", "my model.yml", "--cpu" })]
    [InlineData("\"sed -e s/a/b/\"", new[] { "sed -e s/a/b/" })]
    [InlineData("sed -e \"s/a b/c\\\"d/\"", new[] { "sed", "-e", "s/a b/c\"d/" })]
    [InlineData("a\\ b c", new[] { "a b", "c" })]
    public void SplitCommandLine_ShellQuoting_SplitsWords(string line, string[] expected) =>
        Assert.Equal(expected, TranslationBackends.SplitCommandLine(line));

    [Fact]
    public void Create_QuotedWholeCommand_IsSplitAgain()
    {
        using var backend = TranslationBackends.Create("command:\"sed -e s/a/b/\"");
        Assert.Equal("command:sed -e s/a/b/", backend.Name);
    }
}
