using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// Fills a <see cref="TermLexicon"/> from the places replacement names come from: OBO ontologies (the reference model's
/// source: the ontologies CRAFT is annotated with), plain term lists, and the training mentions themselves (so every
/// type has replacements even without an ontology). Each method returns how many new distinct terms it added.
/// </summary>
public static class TermSources
{
    /// <summary>
    /// Adds the name and the synonyms (of <see cref="OboFilter.SynonymScopes"/>) of every term of the OBO file that passes
    /// <paramref name="filter"/>, under <paramref name="tag"/>, each linked to its term id as concept.
    /// </summary>
    public static int AddObo(this TermLexicon lexicon, string tag, string path, OboFilter? filter = null)
    {
        filter ??= OboFilter.All;
        int added = 0;
        foreach (var term in filter.Apply(OboReader.Read(path), path))
        {
            if (term.Name is not null && lexicon.Add(tag, term.Name, term.Id)) added++;
            foreach (var syn in term.Synonyms)
                if (filter.SynonymScopes.Contains(syn.Scope) && lexicon.Add(tag, syn.Text, term.Id)) added++;
        }
        return added;
    }

    /// <summary>Adds one term per line of a UTF-8 text file; blank lines and lines starting with <c>#</c> are skipped.</summary>
    public static int AddList(this TermLexicon lexicon, string tag, string path)
    {
        if (!File.Exists(path)) throw new BioNerException("term list not found", path);
        int added = 0;
        foreach (string line in File.ReadLines(path))
        {
            string text = line.Trim();
            if (text.Length > 0 && text[0] != '#' && lexicon.Add(tag, text)) added++;
        }
        return added;
    }

    /// <summary>Adds every <c>TAG.txt</c> list of <paramref name="directory"/>, the file name (without .txt) being the type.</summary>
    public static int AddListFolder(this TermLexicon lexicon, string directory)
    {
        if (!Directory.Exists(directory)) throw new BioNerException("term folder not found", directory);
        var files = Directory.GetFiles(directory, "*.txt").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new BioNerException("term folder has no TAG.txt files", directory);
        return files.Sum(f => lexicon.AddList(Path.GetFileNameWithoutExtension(f), f));
    }

    /// <summary>Adds every distinct mention (its word sequence, under its type) of <paramref name="corpus"/>.</summary>
    public static int AddMentions(this TermLexicon lexicon, Corpus corpus)
    {
        int added = 0;
        foreach (var sentence in corpus.Sentences)
            foreach (var m in MentionSpans.Mentions(sentence, corpus.Source))
                if (lexicon.AddWords(m.Type!, sentence.Words.Skip(m.Start).Take(m.Length).ToArray())) added++;
        return added;
    }

    /// <summary>
    /// Adds the terms named by one CLI source: <c>harvest</c> (mentions of <paramref name="training"/>),
    /// <c>TAG=file.obo</c> or <c>TAG=file.obo:FILTER</c> (see <see cref="OboFilter.Parse"/>), <c>TAG=list.txt</c>, or a
    /// folder of <c>TAG.txt</c> lists.
    /// </summary>
    public static int AddSource(this TermLexicon lexicon, string spec, Corpus? training = null)
    {
        if (spec == "harvest")
            return lexicon.AddMentions(training ?? throw new BioNerException("term source 'harvest' needs a training corpus"));
        int eq = spec.IndexOf('=');
        if (eq < 0)
        {
            if (Directory.Exists(spec)) return lexicon.AddListFolder(spec);
            throw new BioNerException($"term source '{spec}' is not 'harvest', TAG=FILE or an existing folder", spec);
        }
        string tag = spec[..eq].Trim(), target = spec[(eq + 1)..].Trim();
        if (tag.Length == 0 || tag.Any(char.IsWhiteSpace) || target.Length == 0)
            throw new BioNerException($"term source '{spec}' must look like TAG=FILE");
        int obo = target.IndexOf(".obo", StringComparison.OrdinalIgnoreCase);
        if (obo >= 0 && (obo + 4 == target.Length || target[obo + 4] == ':'))
        {
            string path = target[..(obo + 4)];
            var filter = obo + 4 == target.Length ? OboFilter.All : OboFilter.Parse(target[(obo + 5)..]);
            return lexicon.AddObo(tag, path, filter);
        }
        return lexicon.AddList(tag, target);
    }
}
