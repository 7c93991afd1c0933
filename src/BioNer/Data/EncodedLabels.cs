namespace BioNer.Data;

/// <summary>
/// Label ids of many sentences in one flat array. Sentence <c>s</c> is <c>Ids[Starts[s]..Starts[s + 1]]</c>.
/// </summary>
/// <param name="Ids">Label id per token, sentences concatenated.</param>
/// <param name="Starts">Start of each sentence in <paramref name="Ids"/>, plus the total token count at the end.</param>
internal sealed record EncodedLabels(int[] Ids, int[] Starts)
{
    /// <summary>Number of sentences.</summary>
    public int SentenceCount => Starts.Length - 1;
}
