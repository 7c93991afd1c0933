using static BioNer.Data.LabelTable.Prefix;

namespace BioNer.Data;

/// <summary>
/// seqeval's default (conlleval-compatible) chunking, <c>get_entities</c> with <c>suffix=False</c>: the one set of
/// chunk rules, read by evaluation on encoded labels (here) and by <see cref="Schemes.Spans"/> on label strings.
/// Encoded sentences are read as one stream with an <c>O</c> after each sentence and one more <c>O</c> at the very end,
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
        int oType = table.OType, prevType = oType, begin = 0, pos = 0;
        char prevTag = 'O';
        var ids = labels.Ids;
        var prefixes = new char[table.LabelCount];
        var types = new int[table.LabelCount];
        for (int id = 0; id < prefixes.Length; id++) (prefixes[id], types[id]) = (ToChar(table.PrefixOf(id)), table.TypeOf(id));
        for (int s = 0; s < labels.SentenceCount; s++)
        {
            for (int t = labels.Starts[s], end = labels.Starts[s + 1]; t < end; t++, pos++)
            {
                int id = ids[t];
                Step(prefixes[id], types[id], pos, ref prevTag, ref prevType, ref begin, output);
            }
            if (separators) Step('O', oType, pos++, ref prevTag, ref prevType, ref begin, output);
        }
        Step('O', oType, pos, ref prevTag, ref prevType, ref begin, output);
    }

    /// <summary>
    /// Each sentence's chunks with positions inside the sentence. The stream has an <c>O</c> after each sentence, so
    /// sentence s starts at <c>Starts[s] + s</c> there and no chunk crosses a sentence end.
    /// </summary>
    public static List<ChunkRef>[] ChunkBySentence(EncodedLabels labels, LabelTable table)
    {
        var flat = new List<ChunkRef>();
        Chunk(labels, table, flat);
        var result = new List<ChunkRef>[labels.SentenceCount];
        for (int s = 0; s < result.Length; s++) result[s] = [];
        int sentence = 0;
        foreach (var c in flat)
        {
            while (c.Start >= labels.Starts[sentence + 1] + sentence + 1) sentence++;
            int offset = labels.Starts[sentence] + sentence;
            result[sentence].Add(c with { Start = c.Start - offset, End = c.End - offset });
        }
        return result;
    }

    private static void Step(char tag, int type, int pos, ref char prevTag, ref int prevType, ref int begin,
        List<ChunkRef> output)
    {
        bool sameType = prevType == type;
        if (EndOfChunk(prevTag, tag, sameType)) output.Add(new ChunkRef(prevType, begin, pos - 1));
        if (StartOfChunk(prevTag, tag, sameType)) begin = pos;
        prevTag = tag;
        prevType = type;
    }

    /// <summary>seqeval <c>end_of_chunk</c>: did a chunk end between the previous and the current token?</summary>
    public static bool EndOfChunk(char prevTag, char tag, bool sameType) =>
        prevTag is 'E' or 'S'
        || (prevTag is 'B' or 'I' && tag is 'B' or 'S' or 'O')
        || (prevTag != 'O' && !sameType);

    /// <summary>seqeval <c>start_of_chunk</c>: did a chunk start between the previous and the current token?</summary>
    public static bool StartOfChunk(char prevTag, char tag, bool sameType) =>
        tag is 'B' or 'S'
        || (prevTag is 'E' or 'S' or 'O' && tag is 'E' or 'I')
        || (tag != 'O' && !sameType);
}
