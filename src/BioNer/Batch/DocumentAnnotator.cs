using BioNer.Inference;
using BioNer.Literature;

namespace BioNer.Batch;

/// <summary>
/// Runs a <see cref="NerPipeline"/> over documents: every passage is one text (its windows batched with those of the
/// other documents in the same call), entities come back as passage-relative mentions, so offsets stay exact
/// against the original passage text whatever unit the output uses.
/// </summary>
public sealed class DocumentAnnotator(NerPipeline pipeline, AggregationStrategy strategy = AggregationStrategy.First)
{
    /// <summary>The pipeline doing the work (label set, window size).</summary>
    public NerPipeline Pipeline => pipeline;

    /// <summary>The documents with <see cref="Passage.Predicted"/> filled; input mentions untouched.</summary>
    public IReadOnlyList<Document> Annotate(IReadOnlyList<Document> documents)
    {
        var texts = new List<string>();
        foreach (var d in documents)
            foreach (var p in d.Passages) texts.Add(p.Text);
        var entities = pipeline.Predict(texts, strategy);
        int k = 0;
        return documents.Select(d => d with
        {
            Passages = d.Passages.Select(p => p with
            {
                Predicted = entities[k++].Select(e => new Mention(strategy == AggregationStrategy.None ? e.Type : Aggregation.GetTag(e.Type).Tag,
                    e.Start, e.End, e.Text, e.Score)).ToList(),
            }).ToList(),
        }).ToList();
    }

    /// <summary>
    /// Annotates a lazy stream of documents in groups of <paramref name="groupSize"/> (windows of a group share
    /// forward passes), yielding them in input order; at most one group is in memory. After each group the native
    /// heap's free pages go back to the OS (<see cref="Native.MallocTuning.ReleaseFreePages"/>): the forward passes'
    /// buffers differ in size from batch to batch, and a heap that never trims grew by hundreds of MB over a file.
    /// </summary>
    public IEnumerable<Document> Annotate(IEnumerable<Document> documents, int groupSize = 32)
    {
        var group = new List<Document>(groupSize);
        foreach (var d in documents)
        {
            group.Add(d);
            if (group.Count < groupSize) continue;
            foreach (var a in Annotate(group)) yield return a;
            group.Clear();
            Native.MallocTuning.ReleaseFreePages();
        }
        if (group.Count > 0) foreach (var a in Annotate(group)) yield return a;
    }
}
