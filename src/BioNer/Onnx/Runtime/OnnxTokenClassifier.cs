using BioNer.Checkpoints;
using BioNer.Inference;
using BioNer.Modeling;
using BioNer.Onnx.Export;
using BioNer.Onnx.Proto;
using BioNer.Tokenization;
using Microsoft.ML.OnnxRuntime;

namespace BioNer.Onnx.Runtime;

/// <summary>
/// A token classifier run by ONNX Runtime on the CPU: the fast inference path next to the TorchSharp model. It takes
/// the same padded <see cref="EncodedBatch"/> and returns the same logits, as plain floats (B, T, L) row-major, so
/// prediction code can use either runtime. Loads a <c>bioner export onnx</c> folder (or any graph with inputs
/// <c>input_ids</c>/<c>attention_mask</c>[/<c>token_type_ids</c>] and output <c>logits</c>, e.g. an Optimum export).
/// ORT applies all graph optimizations at load (LayerNorm, Gelu, attention fusions). <see cref="Logits"/> may be called
/// from several threads at once (an ORT session is thread-safe).
/// </summary>
public sealed class OnnxTokenClassifier : IBatchScorer
{
    private readonly InferenceSession _session;
    private readonly bool _tokenTypes;

    private OnnxTokenClassifier(InferenceSession session, ModelConfig config, string path)
    {
        _session = session;
        Config = config;
        ModelPath = path;
        var inputs = session.InputMetadata.Keys.ToHashSet();
        foreach (var name in new[] { "input_ids", "attention_mask" })
            if (!inputs.Contains(name)) throw new BioNerException($"ONNX model has no '{name}' input (has: {string.Join(", ", inputs)})", path);
        if (!session.OutputMetadata.ContainsKey("logits"))
            throw new BioNerException($"ONNX model has no 'logits' output (has: {string.Join(", ", session.OutputMetadata.Keys)})", path);
        _tokenTypes = inputs.Contains("token_type_ids");
    }

    /// <summary>The folder's <c>config.json</c>: labels in logit-column order, pad id, maximum length.</summary>
    public ModelConfig Config { get; }

    /// <summary>Label names in logit-column order (<c>id2label</c>).</summary>
    public IReadOnlyList<string> Labels => Config.Labels;

    /// <summary>The CRF scores the export's <c>config.json</c> carries (the graph gives emissions), or null.</summary>
    public CrfTransitions? Crf => Config.CrfScores;

    /// <summary>The ONNX file the session runs (or the checkpoint folder, for <see cref="FromCheckpoint"/>).</summary>
    public string ModelPath { get; }

    /// <summary>
    /// Opens the export folder <paramref name="dir"/> (<c>config.json</c> + <c>onnx/model.onnx</c> or, with
    /// <see cref="OnnxRuntimeOptions.Quantized"/>, <c>onnx/model_quantized.onnx</c>; a <c>model.onnx</c> at the root,
    /// as Optimum writes it, is accepted too).
    /// </summary>
    /// <exception cref="BioNerException">The folder, config or graph is missing or not a usable ONNX model.</exception>
    public static OnnxTokenClassifier Load(string dir, OnnxRuntimeOptions? options = null)
    {
        options ??= new OnnxRuntimeOptions();
        if (!Directory.Exists(dir)) throw new BioNerException("ONNX model folder not found", dir);
        var config = ModelConfig.Load(Path.Combine(dir, "config.json"));
        string file = options.Quantized ? OnnxExporter.QuantizedModelFile : OnnxExporter.ModelFile;
        string path = Path.Combine(dir, file);
        if (!File.Exists(path) && File.Exists(Path.Combine(dir, Path.GetFileName(file)))) path = Path.Combine(dir, Path.GetFileName(file));
        if (!File.Exists(path))
            throw new BioNerException($"no {file} (export with `bioner export onnx{(options.Quantized ? " --quantize int8" : "")}`)", dir);
        return Open(config, path, o => new InferenceSession(path, o), options);
    }

    /// <summary>
    /// Exports the HF checkpoint in <paramref name="checkpointDir"/> in memory (<see cref="OnnxExporter.BuildGraph"/>,
    /// int8 when <see cref="OnnxRuntimeOptions.Quantized"/>) and opens it: ONNX Runtime speed without an export folder.
    /// </summary>
    /// <exception cref="BioNerException">The checkpoint is missing or invalid (names the file).</exception>
    public static OnnxTokenClassifier FromCheckpoint(string checkpointDir, OnnxRuntimeOptions? options = null, Action<string>? log = null)
    {
        options ??= new OnnxRuntimeOptions();
        OnnxModel graph;
        ModelConfig config;
        using (var model = CheckpointLoader.Load(checkpointDir, log: log))
        {
            config = model.Config with { CrfScores = model.Crf?.ToTransitions() };
            graph = OnnxExporter.BuildGraph(model);
        }
        if (options.Quantized) graph = OnnxQuantizer.QuantizeDynamic(graph, log);
        log?.Invoke($"exported {config.Architecture} to ONNX in memory{(options.Quantized ? " (int8)" : "")}");
        byte[] bytes = graph.ToBytes();
        return Open(config, $"{checkpointDir} (in memory)", o => new InferenceSession(bytes, o), options);
    }

    private static OnnxTokenClassifier Open(ModelConfig config, string path, Func<SessionOptions, InferenceSession> create,
        OnnxRuntimeOptions options)
    {
        using var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount,
        };
        InferenceSession session;
        try
        {
            session = create(sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new BioNerException($"ONNX Runtime cannot load the model: {e.Message}", path, inner: e);
        }
        try
        {
            return new OnnxTokenClassifier(session, config, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs the batch: ids/mask/token types (B, T) int64 → logits (B, T, L) float32, row-major, length B·T·L
    /// (index <c>(b * T + t) * L + l</c>), exactly what the TorchSharp model returns for the same batch.
    /// </summary>
    public float[] Logits(EncodedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        long[] shape = [batch.BatchSize, batch.SeqLen];
        if (batch.InputIds.Length != batch.BatchSize * batch.SeqLen || batch.AttentionMask.Length != batch.InputIds.Length)
            throw new ArgumentException($"batch arrays do not match ({batch.BatchSize}, {batch.SeqLen})", nameof(batch));
        if (batch.SeqLen > Config.MaxSequenceLength)
            throw new ArgumentException($"sequence length {batch.SeqLen} exceeds the model's maximum of {Config.MaxSequenceLength} tokens", nameof(batch));
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(batch.InputIds, shape),
            OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape),
        };
        try
        {
            if (_tokenTypes)
            {
                names.Add("token_type_ids");
                values.Add(OrtValue.CreateTensorValueFromMemory(batch.TokenTypeIds, shape));
            }
            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, names, values, ["logits"]);
            return outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <inheritdoc/>
    public int MaxPositions => Config.MaxSequenceLength;

    /// <summary>
    /// <see cref="Logits"/> as the <see cref="IBatchScorer"/> seam. The exported graph has no loss output, so
    /// <see cref="BatchScores.Loss"/> is always null: ONNX evaluations report scores, not a loss.
    /// </summary>
    public BatchScores Forward(EncodedBatch batch, bool withLoss) => new(Logits(batch), null);

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
