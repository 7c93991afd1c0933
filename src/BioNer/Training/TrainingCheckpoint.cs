using System.Text.Json;
using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.IO;
using BioNer.Modeling;
using TorchSharp;

namespace BioNer.Training;

/// <summary>
/// Saves and restores resumable checkpoints: <c>checkpoints/checkpoint-STEP/</c> holds the model (HF layout),
/// the optimizer's moments (<c>optimizer.safetensors</c>, <c>optimizer.json</c>), <c>rng.bin</c> (libtorch generator state), <c>trainer_state.json</c> and <c>resume.json</c>.
/// Each checkpoint folder is written atomically, so a crash mid-save leaves the previous one intact; older ones are
/// pruned after a successful save.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>Folder holding the checkpoints of a run.</summary>
    public static string Root(string outDir) => Path.Combine(outDir, "checkpoints");

    /// <summary>Writes a checkpoint for <paramref name="state"/> and keeps the newest <paramref name="keep"/> (0: all).</summary>
    public static string Save(string outDir, TokenClassifier model, FusedAdamW optimizer,
        ResumeState state, TrainingHistory history, int maxSteps, int epochs, int keep = 1) =>
        Save(outDir, optimizer, state, keep, tmp =>
        {
            CheckpointWriter.Save(model, Path.Combine(tmp, "model"));
            File.WriteAllText(Path.Combine(tmp, "trainer_state.json"),
                history.ToTrainerState(state.GlobalStep, maxSteps, epochs, null).ToJsonString(TrainingOptions.Json));
        });

    /// <summary>
    /// The loop-independent part of a checkpoint, for any training loop (fine-tuning, pretraining): the optimizer's
    /// state, the libtorch RNG and <paramref name="state"/> (<c>resume.json</c>), plus what <paramref name="writeModel"/>
    /// writes into the folder (the model under <c>model/</c>, the loop's history). Written atomically; then all but the
    /// newest <paramref name="keep"/> checkpoints by step are removed (0 keeps all).
    /// </summary>
    public static string Save(string outDir, FusedAdamW optimizer, ResumeState state, int keep, Action<string> writeModel)
    {
        string dir = Path.Combine(Root(outDir), $"checkpoint-{state.GlobalStep}");
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            writeModel(tmp);
            optimizer.SaveState(tmp);
            using (var rng = torch.random.get_rng_state())
                File.WriteAllBytes(Path.Combine(tmp, "rng.bin"), rng.bytes.ToArray());
            File.WriteAllText(Path.Combine(tmp, "resume.json"), JsonSerializer.Serialize(state, TrainingOptions.Json));
        });
        if (keep > 0)
            foreach (var old in Directory.GetDirectories(Root(outDir), "checkpoint-*").Where(d => !SameDir(d, dir))
                         .OrderByDescending(StepOf).Skip(keep - 1))
                Directory.Delete(old, true);
        return dir;
    }

    /// <summary>
    /// The newest complete checkpoint under <paramref name="path"/> (a run's output folder, its checkpoints folder, or a
    /// checkpoint folder itself); a <see cref="BioNerException"/> when there is none.
    /// </summary>
    public static string Find(string path)
    {
        if (File.Exists(Path.Combine(path, "resume.json"))) return path;
        string root = Directory.Exists(Root(path)) ? Root(path) : path;
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root, "checkpoint-*").Where(d => File.Exists(Path.Combine(d, "resume.json")))
                .OrderByDescending(StepOf).FirstOrDefault()
            : null;
        return found ?? throw new BioNerException($"no checkpoint to resume from in {path} (expected checkpoints/checkpoint-N/resume.json)");
    }

    // checkpoint-N → N (-1 for a folder of another name).
    private static int StepOf(string dir) => int.TryParse(Path.GetFileName(dir)["checkpoint-".Length..], out int n) ? n : -1;

    private static bool SameDir(string a, string b) => string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), StringComparison.Ordinal);

    /// <summary>Reads the resume state and history of a checkpoint folder.</summary>
    public static (ResumeState State, TrainingHistory History) ReadState(string checkpointDir)
    {
        var state = ReadResume(checkpointDir);
        string trainerState = Path.Combine(checkpointDir, "trainer_state.json");
        try
        {
            return (state, TrainingHistory.FromTrainerState(JsonNode.Parse(File.ReadAllText(trainerState))!.AsObject()));
        }
        catch (JsonException e)
        {
            throw new BioNerException($"corrupt checkpoint state: {e.Message}", trainerState);
        }
    }

    /// <summary>Reads a checkpoint folder's <c>resume.json</c> (any training loop's).</summary>
    public static ResumeState ReadResume(string checkpointDir)
    {
        string resume = Path.Combine(checkpointDir, "resume.json");
        try
        {
            return JsonSerializer.Deserialize<ResumeState>(File.ReadAllText(resume), TrainingOptions.Json)
                ?? throw new BioNerException("empty resume state", resume);
        }
        catch (JsonException e)
        {
            throw new BioNerException($"corrupt checkpoint state: {e.Message}", resume);
        }
    }

    /// <summary>Restores optimizer moments and the libtorch RNG from a checkpoint folder.</summary>
    public static void RestoreOptimizerAndRng(string checkpointDir, FusedAdamW optimizer)
    {
        optimizer.LoadState(checkpointDir);
        byte[] rng = File.ReadAllBytes(Path.Combine(checkpointDir, "rng.bin"));
        using var t = torch.tensor(rng, torch.ScalarType.Byte);
        torch.random.set_rng_state(t);
    }
}
