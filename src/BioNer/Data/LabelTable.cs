namespace BioNer.Data;

/// <summary>
/// Interns label strings into small integer ids so that chunking compares ints, not strings. Each distinct label is
/// parsed once into its prefix (<see cref="Prefix"/>) and its entity type id; <c>O</c> gets the type <c>_</c>, as in
/// seqeval. One table is shared by the gold and predicted sides so that type ids agree.
/// </summary>
internal sealed class LabelTable
{
    /// <summary>Prefix codes: O, B, I, E, S, L, U (the letters seqeval's <c>Prefix</c> knows).</summary>
    internal static class Prefix
    {
        public const byte O = 0, B = 1, I = 2, E = 3, S = 4, L = 5, U = 6;
        public const int Count = 7;

        /// <summary>The code of a prefix letter, or -1 when the letter is no prefix.</summary>
        public static int FromChar(char c) => c switch
        {
            'O' => O, 'B' => B, 'I' => I, 'E' => E, 'S' => S, 'L' => L, 'U' => U, _ => -1,
        };

        /// <summary>The letter of a prefix code.</summary>
        public static char ToChar(byte p) => "OBIESLU"[p];
    }

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _typeIds = new(StringComparer.Ordinal);
    private readonly List<string> _labels = [];
    private readonly List<byte> _prefixes = [];
    private readonly List<int> _types = [];
    private readonly List<string> _typeNames = [];

    /// <summary>Creates a table that already holds <c>O</c> (id 0, type <c>_</c>).</summary>
    public LabelTable()
    {
        OType = TypeId("_");
        Add("O", Prefix.O, OType);
    }

    /// <summary>The type id of <c>O</c> (the name <c>_</c>).</summary>
    public int OType { get; }

    /// <summary>Prefix code per label id.</summary>
    public byte PrefixOf(int label) => _prefixes[label];

    /// <summary>Type id per label id.</summary>
    public int TypeOf(int label) => _types[label];

    /// <summary>The label string of an id.</summary>
    public string LabelOf(int label) => _labels[label];

    /// <summary>The type name of a type id.</summary>
    public string TypeName(int type) => _typeNames[type];

    /// <summary>Number of type ids handed out so far.</summary>
    public int TypeCount => _typeNames.Count;

    /// <summary>Number of distinct labels seen so far.</summary>
    public int LabelCount => _labels.Count;

    /// <summary>
    /// Encodes nested label sequences into one flat id array plus sentence starts. Throws a <see cref="BioNerException"/>
    /// naming <paramref name="side"/>, the sentence and the token for a label that is not <c>O</c> or PREFIX-TYPE.
    /// </summary>
    public EncodedLabels Encode(IReadOnlyList<IReadOnlyList<string>> sequences, string side)
    {
        var starts = new int[sequences.Count + 1];
        long total = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            starts[s] = (int)total;
            total += (sequences[s] ?? throw new BioNerException($"{side} sentence {s}: the label list is null.")).Count;
            if (total > int.MaxValue - sequences.Count - 2)
                throw new BioNerException($"{side}: more than {int.MaxValue / 2} tokens cannot be evaluated at once.");
        }
        starts[sequences.Count] = (int)total;
        var ids = new int[total];
        string? lastLabel = null;
        int lastId = 0;
        for (int s = 0; s < sequences.Count; s++)
        {
            var sentence = sequences[s];
            int offset = starts[s];
            for (int t = 0; t < sentence.Count; t++)
            {
                var label = sentence[t];
                if (!ReferenceEquals(label, lastLabel))
                {
                    lastId = Intern(label, side, s, t);
                    lastLabel = label;
                }
                ids[offset + t] = lastId;
            }
        }
        return new EncodedLabels(ids, starts);
    }

    /// <summary>The id of <paramref name="label"/>, parsing and adding it on first sight.</summary>
    public int Intern(string? label, string side, int sentence, int token)
    {
        if (label is not null && _ids.TryGetValue(label, out int id)) return id;
        if (label is null || label.Length < 3 || label[1] != '-' || Prefix.FromChar(label[0]) is <= 0 ||
            label[2] == '-' || label[^1] == '-')
        {
            throw new BioNerException(
                $"{side} sentence {sentence}, token {token} (0-based): label '{label}' is not 'O' or PREFIX-TYPE " +
                "with PREFIX one of B, I, E, S, L, U and a non-empty TYPE that neither starts nor ends with '-'.");
        }
        return Add(label, (byte)Prefix.FromChar(label[0]), TypeId(label[2..]));
    }

    private int Add(string label, byte prefix, int type)
    {
        int id = _labels.Count;
        _ids.Add(label, id);
        _labels.Add(label);
        _prefixes.Add(prefix);
        _types.Add(type);
        return id;
    }

    private int TypeId(string name)
    {
        if (_typeIds.TryGetValue(name, out int id)) return id;
        id = _typeNames.Count;
        _typeIds.Add(name, id);
        _typeNames.Add(name);
        return id;
    }
}
