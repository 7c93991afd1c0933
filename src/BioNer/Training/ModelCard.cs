using System.Globalization;
using System.Text;

namespace BioNer.Training;

/// <summary>
/// Writes the output folder's <c>README.md</c> in the shape of HF's auto-generated model cards (the reference model's
/// card included): base model, data, hyper-parameters, the per-epoch results table, per-type scores and how to load it.
/// </summary>
public static class ModelCard
{
    /// <summary>Renders the card for a finished run; <paramref name="crf"/>: the model has a CRF head.</summary>
    public static string Render(TrainRequest request, IReadOnlyList<string> labels, TrainResult result,
        IReadOnlyList<TrainingStage>? lineage = null, bool crf = false)
    {
        var o = request.Options;
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        string name = Path.GetFileName(Path.GetFullPath(request.OutDir).TrimEnd('/'));
        sb.AppendLine("---").AppendLine("library_name: bioner").AppendLine("pipeline_tag: token-classification")
          .AppendLine($"base_model: {request.Model}").AppendLine("tags:").AppendLine("- token-classification").AppendLine("- biomedical")
          .AppendLine("- bioner").AppendLine("---").AppendLine();
        sb.AppendLine($"# {name}").AppendLine();
        sb.AppendLine($"This model is a fine-tuned version of `{request.Model}` for biomedical named-entity recognition, trained with BioNer on " +
                      $"{string.Join(", ", request.TrainFiles.Select(f => $"`{f}`"))} and evaluated on `{request.DevFile}`.").AppendLine();
        var f = result.Final.Metrics;
        sb.AppendLine($"It achieves the following results on the evaluation set; the weights are the {result.Kept}:");
        sb.AppendLine(inv, $"- Loss: {result.Final.Loss:0.0000}").AppendLine(inv, $"- Precision: {f.Precision:0.0000}")
          .AppendLine(inv, $"- Recall: {f.Recall:0.0000}").AppendLine(inv, $"- F1: {f.F1:0.0000}").AppendLine(inv, $"- Accuracy: {f.Accuracy:0.0000}").AppendLine();
        sb.AppendLine("## Labels").AppendLine().AppendLine(string.Join(", ", labels.Select(l => $"`{l}`"))).AppendLine();
        sb.AppendLine("## Training hyperparameters").AppendLine();
        if (request.Recipe is { } recipe) sb.AppendLine($"Starting point: {TrainingRecipes.Describe(recipe)}; then the flags and config keys given.").AppendLine();
        sb.AppendLine($"- learning_rate: {o.LearningRate.ToString("R", inv).ToLowerInvariant()}").AppendLine($"- train_batch_size: {o.TrainBatchSize}")
          .AppendLine($"- eval_batch_size: {o.EvalBatchSize}").AppendLine($"- seed: {o.Seed}")
          .AppendLine($"- gradient_accumulation_steps: {o.GradientAccumulationSteps}")
          .AppendLine(inv, $"- optimizer: AdamW with betas=({o.Beta1},{o.Beta2}) and epsilon={o.Epsilon.ToString("R", inv).ToLowerInvariant()}, weight_decay={o.WeightDecay}")
          .AppendLine("- lr_scheduler_type: linear").AppendLine(inv, $"- warmup: {(o.WarmupSteps > 0 ? $"{o.WarmupSteps} steps" : $"ratio {o.WarmupRatio}")}")
          .AppendLine($"- num_epochs: {o.Epochs}{(o.MaxSteps > 0 ? $" (max_steps {o.MaxSteps})" : "")}")
          .AppendLine(inv, $"- max_grad_norm: {o.MaxGradNorm}").AppendLine($"- max_seq_length: {o.MaxSequenceLength}")
          .AppendLine($"- label_all_tokens: {o.LabelAllTokens.ToString().ToLowerInvariant()}")
          .AppendLine(crf ? string.Create(inv, $"- head: crf (linear-chain CRF over first-sub-token emissions, IOB2 moves masked; transitions at lr {(o.LearningRate * o.CrfLearningRateScale()).ToString("R", inv).ToLowerInvariant()})")
                          : "- head: softmax (HF's linear token-classification head)")
          .AppendLine($"- dev/test decoding: {(crf ? "CRF Viterbi" : o.ConstrainedDecoding ? "IOB2-constrained Viterbi" : "per-word argmax (as run_ner.py)")}").AppendLine();
        sb.AppendLine("## Training results").AppendLine().Append(result.History.ToMarkdownTable())
          .Append(result.History.ToSetTables(request.EvalSets?.ToDictionary(e => e.Name, e => e.File))).AppendLine();
        sb.AppendLine($"## Per-type scores (dev, {result.Kept})").AppendLine().AppendLine("```").Append(f.Report.ToText(4)).AppendLine("```").AppendLine();
        if (result.Test is { } t)
            sb.AppendLine("## Test set").AppendLine().AppendLine("```").Append(t.Metrics.Report.ToText(4)).AppendLine("```").AppendLine();
        if (lineage is { Count: > 1 })
        {
            sb.AppendLine("## Training lineage").AppendLine();
            sb.AppendLine($"This model is the result of {lineage.Count} fine-tuning stages (the last is the one above).").AppendLine();
            for (int i = 0; i < lineage.Count; i++)
            {
                var st = lineage[i];
                sb.AppendLine($"### Stage {i + 1}: from `{st.BaseModel}` on {string.Join(", ", st.TrainFiles.Select(x => $"`{x}`"))}").AppendLine();
                sb.AppendLine(inv, $"Dev `{st.DevFile}`, lr {st.Options.LearningRate.ToString("R", inv).ToLowerInvariant()}, {st.Options.Epochs} epoch{(st.Options.Epochs == 1 ? "" : "s")}, " +
                                   $"batch {st.Options.TrainBatchSize}, seed {st.Options.Seed}; kept model dev F1 {st.DevF1:0.0000}; finished {st.Finished:u}.").AppendLine();
                sb.Append(st.ResultsTable).AppendLine();
            }
        }
        var s = result.Stats;
        sb.AppendLine("## Training speed").AppendLine()
          .AppendLine(inv, $"{s.TrainSeconds:0.0} s of training steps; {s.RealTokensPerSecond:0} real sub-tokens/s ({s.PaddedTokensPerSecond:0} with padding); " +
                           $"length grouping avoided {s.PaddingSkipped} padded positions compared with padding to {o.MaxSequenceLength}.").AppendLine();
        sb.AppendLine("## How to use").AppendLine().AppendLine("```bash")
          .AppendLine($"bioner predict --model {request.OutDir} \"Mutations in the Brca1 gene cause tumours in mice.\"").AppendLine("```").AppendLine()
          .AppendLine("The folder is in HuggingFace layout: in Python, `pipeline(\"token-classification\", model=PATH)` loads it unchanged.").AppendLine();
        if (crf)
            sb.AppendLine("This model has a CRF head (`bioner_head: crf` in config.json, tensors `crf.*`). BioNer, its server and its ONNX export " +
                          "(`bioner export`, which writes the CRF scores into the export's config.json) decode it by Viterbi; `transformers` " +
                          "ignores the `crf.*` tensors and labels each word by argmax of the emissions, which loses what the CRF adds.").AppendLine();
        sb.AppendLine("## Framework versions").AppendLine().AppendLine($"- BioNer {typeof(ModelCard).Assembly.GetName().Version}")
          .AppendLine($"- TorchSharp {typeof(TorchSharp.torch).Assembly.GetName().Version}").AppendLine($"- .NET {Environment.Version}");
        return sb.ToString();
    }
}
