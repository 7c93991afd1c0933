using System.Text;
using BioNer.IO;

namespace BioNer.Data;

/// <summary>
/// Writes CoNLL column files: <c>word&lt;TAB&gt;label</c> per line (more label columns on request, e.g. gold and
/// predicted for conlleval), a blank line after each sentence, <c>-DOCSTART-</c> where the document changes. Written
/// atomically so a crashed run never leaves half a file.
/// </summary>
public static class ConllWriter
{
    /// <summary>Writes <paramref name="corpus"/> to <paramref name="path"/> in <see cref="WriteOptions.Scheme"/>.</summary>
    public static void Write(Corpus corpus, string path, WriteOptions? options = null) =>
        WriteColumns(corpus, [], path, options);

    /// <summary>Writes a conlleval-style <c>word gold predicted</c> file; the two corpora must have the same words.</summary>
    public static void WriteGoldAndPredicted(Corpus gold, Corpus predicted, string path, WriteOptions? options = null) =>
        WriteColumns(gold, [predicted], path, options);

    /// <summary>
    /// Writes <paramref name="corpus"/>'s words and labels followed by one more label column per corpus in
    /// <paramref name="extraLabelColumns"/> (same sentence and word counts, else <see cref="BioNerException"/>).
    /// </summary>
    public static void WriteColumns(Corpus corpus, IReadOnlyList<Corpus> extraLabelColumns, string path, WriteOptions? options = null)
    {
        string text = Format(corpus, extraLabelColumns, options);
        AtomicFile.WriteAllText(path, text);
    }

    /// <summary>The file content <see cref="WriteColumns"/> writes, as a string.</summary>
    public static string Format(Corpus corpus, IReadOnlyList<Corpus> extraLabelColumns, WriteOptions? options = null)
    {
        options ??= WriteOptions.Default;
        foreach (var extra in extraLabelColumns)
            if (extra.Sentences.Count != corpus.Sentences.Count)
                throw new BioNerException($"label column corpus '{extra.Source}' has {extra.Sentences.Count} sentences but '{corpus.Source}' has {corpus.Sentences.Count}");
        var sb = new StringBuilder();
        string? doc = null;
        for (int s = 0; s < corpus.Sentences.Count; s++)
        {
            var sentence = corpus.Sentences[s];
            if (options.DocStart && sentence.DocumentId is { } id && id != doc)
            {
                AppendDocStart(sb, id, extraLabelColumns.Count);
                doc = id;
            }
            var columns = new List<IReadOnlyList<string>> { Schemes.FromIob2(sentence.Labels, options.Scheme) };
            foreach (var extra in extraLabelColumns)
                columns.Add(Schemes.FromIob2(CheckSameWords(sentence, extra.Sentences[s], s), options.Scheme));
            AppendSentence(sb, sentence, columns, s);
        }
        return sb.ToString();
    }

    private static IReadOnlyList<string> CheckSameWords(Sentence a, Sentence b, int s)
    {
        if (a.Count != b.Count)
            throw new BioNerException($"sentence {s + 1}: label columns disagree on the word count ({a.Count} vs {b.Count})");
        return b.Labels;
    }

    /// <summary>
    /// Appends a <c>-DOCSTART-</c> line carrying <paramref name="id"/> in the label column (<c>O</c> for none) and
    /// <c>O</c> in each extra column, then a blank line.
    /// </summary>
    internal static void AppendDocStart(StringBuilder sb, string id, int extraColumns)
    {
        sb.Append(ConllReader.DocStart).Append('\t').Append(id);
        for (int c = 0; c < extraColumns; c++) sb.Append('\t').Append(Schemes.Outside);
        sb.Append("\n\n");
    }

    /// <summary>
    /// Appends one sentence, <c>word&lt;TAB&gt;label...</c> per word with the labels of <paramref name="columns"/> as
    /// given, then a blank line; <paramref name="s"/> (0-based) names the sentence in errors.
    /// </summary>
    internal static void AppendSentence(StringBuilder sb, Sentence sentence, IReadOnlyList<IReadOnlyList<string>> columns, int s)
    {
        if (sentence.Labels.Count != sentence.Count)
            throw new BioNerException($"sentence {s + 1} has {sentence.Count} words but {sentence.Labels.Count} labels");
        for (int w = 0; w < sentence.Count; w++)
        {
            string word = sentence.Words[w];
            if (word.Length == 0 || word.Any(char.IsWhiteSpace))
                throw new BioNerException($"sentence {s + 1}, word {w + 1}: '{word}' is empty or holds whitespace, which CoNLL columns cannot carry");
            sb.Append(word);
            foreach (var col in columns) sb.Append('\t').Append(col[w]);
            sb.Append('\n');
        }
        sb.Append('\n');
    }
}
