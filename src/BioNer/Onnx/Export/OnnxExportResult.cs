namespace BioNer.Onnx.Export;

/// <summary>What <see cref="OnnxExporter.Export"/> wrote.</summary>
/// <param name="Directory">The output folder.</param>
/// <param name="Files">Paths of the files written, relative to <paramref name="Directory"/>, sorted.</param>
/// <param name="Labels">Label names in logit-column order.</param>
public sealed record OnnxExportResult(string Directory, IReadOnlyList<string> Files, IReadOnlyList<string> Labels);
