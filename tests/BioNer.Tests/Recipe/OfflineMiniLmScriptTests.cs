using System.Text.Json;
using BioNer.Data;

namespace BioNer.Tests.Recipe;

/// <summary>
/// samples/recipes/offline-minilm.sh on the bundled sample with the tiny RoBERTa fixture in place of MiniLM (MODEL) and
/// 2 training steps: the AUG=1 step writes the seed's augmentation (original + one mention-replaced copy) and the
/// fine-tune uses it with the small-encoder recipe's CRF head and 2 epochs; a rerun keeps both.
/// </summary>
[Trait("Category", Category.Slow)]
[Collection(BioNer.Tests.Training.TrainingCollection.Name)]
public sealed class OfflineMiniLmScriptTests
{
    private static (int Code, string Out, string Err) Recipe(string work, string outDir) =>
        Deploy.Shell.Run($"AUG=1 MODEL={Deploy.Shell.Quote(Deploy.Shell.Model)} OUT={Deploy.Shell.Quote(outDir)} THREADS=1 " +
            $"BIONER={Deploy.Shell.Quote(Deploy.Shell.Cli)} TRAIN_ARGS='--max-steps 2' " +
            $"bash {Deploy.Shell.Quote(Deploy.Shell.Repo("samples/recipes/offline-minilm.sh"))}", work, 300);

    [Fact]
    public void AugmentedRecipe_TrainsACrfModelOnOriginalPlusCopies_AndARerunKeepsIt()
    {
        using var tmp = new TempDir();
        string outDir = tmp.File("out");
        var (code, stdout, err) = Recipe(tmp.Path, outDir);
        Assert.True(code == 0, $"recipe exited {code}:\n{stdout}\n{err}");

        var original = CorpusIO.Read(Path.Combine(TestPaths.RepoRoot, "samples", "craft-sample", "train.conll")).Sentences;
        string augPath = Path.Combine(outDir, "train.aug.conll");
        var augmented = CorpusIO.Read(augPath).Sentences;
        Assert.Equal(2 * original.Count, augmented.Count);
        Assert.Equal(original.Select(s => string.Join(' ', s.Words)), augmented.Take(original.Count).Select(s => string.Join(' ', s.Words)));
        Assert.Contains(augmented.Skip(original.Count).Zip(original),
            pair => !pair.First.Words.SequenceEqual(pair.Second.Words));

        string ner = Path.Combine(outDir, "ner");
        using (var run = JsonDocument.Parse(File.ReadAllText(Path.Combine(ner, "run.json"))))
        {
            var root = run.RootElement;
            Assert.Equal("small-encoder", root.GetProperty("recipe").GetString());
            Assert.Equal([Path.GetFullPath(augPath)], root.GetProperty("train_files").EnumerateArray().Select(e => Path.GetFullPath(e.GetString()!)));
            Assert.Equal("crf", root.GetProperty("options").GetProperty("head").GetString());
            Assert.Equal(2, root.GetProperty("options").GetProperty("epochs").GetInt32());
            Assert.Equal(1e-4, root.GetProperty("options").GetProperty("learning_rate").GetDouble());
        }
        Assert.Matches(@"dev F1 \d\.\d{4}", stdout);

        var augWritten = File.GetLastWriteTimeUtc(augPath);
        (code, stdout, err) = Recipe(tmp.Path, outDir);
        Assert.True(code == 0, $"rerun exited {code}:\n{stdout}\n{err}");
        Assert.Contains(": done", stdout);
        Assert.Equal(augWritten, File.GetLastWriteTimeUtc(augPath));
    }
}
