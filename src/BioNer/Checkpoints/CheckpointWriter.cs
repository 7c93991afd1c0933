using BioNer.IO;
using BioNer.Modeling;
using static TorchSharp.torch;

namespace BioNer.Checkpoints;

/// <summary>
/// Saves a <see cref="TokenClassifier"/> as a HuggingFace model folder that <c>transformers</c> and
/// <see cref="CheckpointLoader"/> load unchanged: <c>config.json</c> (current <c>id2label</c>/<c>label2id</c>) and
/// <c>model.safetensors</c> (HF key names, contiguous float32, <c>format: pt</c> metadata, 8-byte aligned). The folder is built in a temporary sibling and renamed
/// into place, so a crash mid-save never leaves a half-written checkpoint where a good one was.
/// </summary>
public static class CheckpointWriter
{
    /// <summary>
    /// Writes <paramref name="model"/> to <paramref name="dir"/> (replacing it atomically). <paramref name="writeExtraFiles"/>
    /// receives the temporary folder's path and may add files (tokenizer files, model card) before the rename.
    /// </summary>
    public static void Save(TokenClassifier model, string dir, Action<string>? writeExtraFiles = null) =>
        AtomicFile.WriteDirectory(dir, tmp =>
        {
            model.Config.Save(Path.Combine(tmp, "config.json"));
            WriteSafetensors(model, Path.Combine(tmp, "model.safetensors"));
            writeExtraFiles?.Invoke(tmp);
        });

    private static void WriteSafetensors(TokenClassifier model, string path)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensors = model.state_dict()
            .Select(p => KeyValuePair.Create(p.Key, p.Value.detach().cpu().to(ScalarType.Float32).contiguous()))
            .ToList();
        SafetensorsWriter.Write(path, tensors);
    }
}
