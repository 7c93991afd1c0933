using static BioNer.Evaluation.LabelTable.Prefix;

namespace BioNer.Evaluation;

/// <summary>An entity found in encoded labels: type id and inclusive [Start, End] positions in the flattened stream.</summary>
internal readonly record struct ChunkRef(int Type, int Start, int End);

/// <summary>
/// seqeval's default (conlleval-compatible) chunking, <c>get_entities</c> with <c>suffix=False</c>, on encoded labels.
/// The sentences are read as one stream with an <c>O</c> after each sentence and one more <c>O</c> at the very end,
/// exactly as seqeval flattens nested lists, so positions are those of seqeval's flattened sequence.
/// </summary>
internal static class ConllChunker
{
    /// <summary>
    /// Appends the chunks of <paramref name="labels"/> to <paramref name="output"/> in order of their end position.
    /// <paramref name="separators"/> = false reads a single flat sequence (seqeval's behaviour for a non-nested list).
    /// </summary>
    public static void Chunk(EncodedLabels labels, LabelTable table, List<ChunkRef> output, bool separators = true)
    {
        int oType = table.OType;
        int prevTag = O, prevType = oType, begin = 0, pos = 0;
        var ids = labels.Ids;
        var prefixes = new byte[table.LabelCount];
        var types = new int[table.LabelCount];
        for (int id = 0; id < prefixes.Length; id++) (prefixes[id], types[id]) = (table.PrefixOf(id), table.TypeOf(id));
        for (int s = 0; s < labels.SentenceCount; s++)
        {
            for (int t = labels.Starts[s], end = labels.Starts[s + 1]; t < end; t++, pos++)
            {
                int id = ids[t];
                Step(prefixes[id], types[id], pos, ref prevTag, ref prevType, ref begin, output);
            }
            if (separators) Step(O, oType, pos++, ref prevTag, ref prevType, ref begin, output);
        }
        Step(O, oType, pos, ref prevTag, ref prevType, ref begin, output);
    }

    private static void Step(int tag, int type, int pos, ref int prevTag, ref int prevType, ref int begin,
        List<ChunkRef> output)
    {
        if (EndOfChunk(prevTag, tag, prevType, type)) output.Add(new ChunkRef(prevType, begin, pos - 1));
        if (StartOfChunk(prevTag, tag, prevType, type)) begin = pos;
        prevTag = tag;
        prevType = type;
    }

    /// <summary>seqeval <c>end_of_chunk</c>: did a chunk end between the previous and the current token?</summary>
    public static bool EndOfChunk(int prevTag, int tag, int prevType, int type)
    {
        if (prevTag == E || prevTag == S) return true;
        if ((prevTag == B || prevTag == I) && (tag == B || tag == S || tag == O)) return true;
        return prevTag != O && prevType != type;
    }

    /// <summary>seqeval <c>start_of_chunk</c>: did a chunk start between the previous and the current token?</summary>
    public static bool StartOfChunk(int prevTag, int tag, int prevType, int type)
    {
        if (tag == B || tag == S) return true;
        if ((prevTag == E || prevTag == S || prevTag == O) && (tag == E || tag == I)) return true;
        return tag != O && prevType != type;
    }
}
