using System.Collections.Concurrent;
using BioNer.Inference;

namespace BioNer.Tests.Inference;

/// <summary>
/// A deterministic stand-in for a model: words are cut into pieces of at most 3 UTF-16 units (never splitting a
/// surrogate pair), and each piece's label comes from a word→label dictionary (first piece the label, later pieces the
/// I- form), probability 0.9 with the rest spread evenly. It records how often each word position was scored.
/// </summary>
public sealed class DictionaryScorer : ITokenScorer
{
    private readonly Dictionary<string, string> _lexicon;
    private readonly ConcurrentDictionary<int, (string Word, int Piece)> _byId = new();
    private readonly ConcurrentDictionary<(string, int), int> _ids = new();
    private int _next = 10;

    public DictionaryScorer(Dictionary<string, string> lexicon, int maxSubTokens = 510)
    {
        _lexicon = lexicon;
        MaxSubTokens = maxSubTokens;
    }

    public static IReadOnlyList<string> LabelSet { get; } = ["O", "B-Chemical", "I-Chemical", "B-Gene", "I-Gene", "B-Emoji", "I-Emoji"];
    public IReadOnlyList<string> Labels => LabelSet;
    public int MaxSubTokens { get; }

    /// <summary>CRF scores to report as the model's (a CRF head), or null for a softmax model.</summary>
    public BioNer.Modeling.CrfTransitions? Crf { get; init; }
    public int Calls { get; private set; }
    public List<int> WindowLengths { get; } = [];

    public IReadOnlyList<SubToken[]> Tokenize(IReadOnlyList<string> words) => words.Select(Pieces).ToList();

    private SubToken[] Pieces(string word)
    {
        var pieces = new List<SubToken>();
        int i = 0;
        while (i < word.Length)
        {
            int len = Math.Min(3, word.Length - i);
            if (char.IsHighSurrogate(word[i + len - 1]) && i + len < word.Length) len++;
            int id = _ids.GetOrAdd((word, pieces.Count), k => Interlocked.Increment(ref _next));
            _byId[id] = (word, pieces.Count);
            pieces.Add(new SubToken(id, i, i + len));
            i += len;
        }
        return pieces.ToArray();
    }

    public float[][][] Score(IReadOnlyList<int[]> windows)
    {
        Calls++;
        WindowLengths.AddRange(windows.Select(w => w.Length));
        return windows.Select(w => w.Select(Probabilities).ToArray()).ToArray();
    }

    private float[] Probabilities(int id)
    {
        var (word, piece) = _byId[id];
        string label = _lexicon.TryGetValue(word, out var l) ? l : "O";
        if (piece > 0 && label.StartsWith("B-", StringComparison.Ordinal)) label = "I-" + label[2..];
        var p = Enumerable.Repeat(0.1f / (LabelSet.Count - 1), LabelSet.Count).ToArray();
        p[LabelSet.ToList().IndexOf(label)] = 0.9f;
        return p;
    }
}
