using System.Text;
using System.Text.Json.Nodes;
using BioNer.Training;

namespace BioNer.Tests.Training;

/// <summary>
/// Tiny, fast training inputs: the random roberta-tiny fixture and small CoNLL subsets of the bundled CRAFT sample,
/// written into a temporary folder, plus helpers to compare two runs' outputs.
/// </summary>
internal static class TrainTestData
{
    public static string TinyModel => Path.Combine(AppContext.BaseDirectory, "fixtures", "roberta-tiny");

    /// <summary>The bundled sample (samples/craft-sample), found by walking up from the test binary.</summary>
    public static string SampleFile(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string p = Path.Combine(dir.FullName, "samples", "craft-sample", name);
            if (File.Exists(p)) return p;
        }
        throw new FileNotFoundException("samples/craft-sample not found above " + AppContext.BaseDirectory, name);
    }

    /// <summary>The sentences of a CoNLL file as lists of "word\tlabel" lines (document markers dropped).</summary>
    public static List<List<string>> Sentences(string conllPath)
    {
        var result = new List<List<string>>();
        var current = new List<string>();
        foreach (var line in File.ReadLines(conllPath))
        {
            if (line.StartsWith("-DOCSTART-", StringComparison.Ordinal)) continue;
            if (line.Trim().Length == 0)
            {
                if (current.Count > 0) result.Add(current);
                current = [];
                continue;
            }
            current.Add(line);
        }
        if (current.Count > 0) result.Add(current);
        return result;
    }

    /// <summary>Writes sentences as CoNLL, mapping each tag with <paramref name="tag"/> (identity when null).</summary>
    public static string WriteConll(string path, IEnumerable<List<string>> sentences, Func<string, string>? tag = null)
    {
        var sb = new StringBuilder();
        foreach (var s in sentences)
        {
            foreach (var line in s)
            {
                var parts = line.Split('\t');
                sb.Append(parts[0]).Append('\t').Append(tag is null ? parts[^1] : tag(parts[^1])).Append('\n');
            }
            sb.Append('\n');
        }
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>The first <paramref name="train"/> training and <paramref name="dev"/> dev sentences of the sample.</summary>
    public static (string Train, string Dev) WriteSubset(string dir, int train = 24, int dev = 8, Func<string, string>? tag = null)
    {
        Directory.CreateDirectory(dir);
        return (WriteConll(Path.Combine(dir, "train.conll"), Sentences(SampleFile("train.conll")).Take(train), tag),
                WriteConll(Path.Combine(dir, "dev.conll"), Sentences(SampleFile("dev.conll")).Take(dev), tag));
    }

    /// <summary>Fast, reproducible options: one thread, short windows, small batches, a loss point per step.</summary>
    public static TrainingOptions Fast(long seed = 7) => new()
    {
        Seed = seed, Threads = 1, MaxSequenceLength = 32, TrainBatchSize = 4, EvalBatchSize = 8, Epochs = 2,
        LearningRate = 5e-4, LoggingSteps = 1,
    };

    public static TrainRequest Request(string train, string dev, string outDir, TrainingOptions options, string? model = null) =>
        new(model ?? TinyModel, [train], dev, outDir, options);

    public static byte[] Weights(string dir) => File.ReadAllBytes(Path.Combine(dir, "model.safetensors"));

    /// <summary>The eval_* numbers of metrics.json (timings excluded), as JSON text for exact comparison.</summary>
    public static string EvalMetrics(string outDir)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json")))!.AsObject();
        var kept = new JsonObject();
        foreach (var (k, v) in json)
            if (k.StartsWith("eval_", StringComparison.Ordinal) || k == "global_step") kept[k] = v?.DeepClone();
        return kept.ToJsonString();
    }

    /// <summary>trainer_state.json's log_history (loss and eval entries) as JSON text.</summary>
    public static string LogHistory(string outDir) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "trainer_state.json")))!["log_history"]!.ToJsonString();

    /// <summary>The results-table rows of the model card.</summary>
    public static string[] CardRows(string outDir) =>
        File.ReadAllLines(Path.Combine(outDir, "README.md")).SkipWhile(l => l != TrainingHistory.Header).Skip(2)
            .TakeWhile(l => l.StartsWith('|')).ToArray();

    /// <summary>Runs the CLI in-process; returns exit code, stdout and stderr.</summary>
    public static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.Run(args);
}

/// <summary>
/// Training tests share libtorch's process-wide RNG and thread settings, so they run alone (after the parallel
/// collections), never beside another test that draws random numbers.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingCollection
{
    public const string Name = "Training";
}
