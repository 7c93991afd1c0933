namespace BioNer.Data;

/// <summary>
/// The step every label-column reader ends with: trim, detect or take the scheme, validate (errors name file and line),
/// convert to IOB2, apply the label map. Kept in one place so CoNLL and JSONL behave identically.
/// </summary>
internal static class LabelConversion
{
    /// <summary>Where word <c>w</c> of sentence <c>s</c> is, for a message: its 1-based line and a description (field, word).</summary>
    public delegate (int? Line, string Where) Locate(int sentence, int word);

    /// <summary>Converts the raw labels of <paramref name="sentences"/> per <paramref name="options"/>.</summary>
    public static (List<Sentence> Sentences, ReadReport Report) Convert(
        IReadOnlyList<Sentence> sentences, string? file, ReadOptions options, Locate locate, TaggingScheme? forced = null)
    {
        var trimmed = sentences.Select(s => s with { Labels = s.Labels.Select(l => l.Trim()).ToList() }).ToList();
        if (options.RawLabels) return (trimmed, new ReadReport());
        TaggingScheme scheme = forced ?? options.Scheme ?? Schemes.Detect(trimmed.Select(s => s.Labels));
        bool detected = forced is null && options.Scheme is null;
        int repaired = 0;
        var result = new List<Sentence>(trimmed.Count);
        for (int s = 0; s < trimmed.Count; s++)
        {
            var issues = Schemes.Validate(trimmed[s].Labels, scheme);
            var fatal = issues.FirstOrDefault(i => i.Kind == LabelIssueKind.Malformed || !options.Lenient);
            if (fatal is not null)
            {
                var (line, where) = locate(s, fatal.Index);
                string how = detected ? $"read as {scheme} (detected)" : $"read as {scheme}";
                string hint = fatal.Kind == LabelIssueKind.Malformed ? "" : "; give the scheme explicitly or read leniently to repair";
                throw new BioNerException($"{where}: {fatal.Message} ({how}{hint})", file, line);
            }
            if (issues.Count > 0) repaired++;
            var labels = Schemes.ToIob2(trimmed[s].Labels, scheme);
            if (options.LabelMap is { } map) labels = map.Apply(labels);
            result.Add(trimmed[s] with { Labels = labels });
        }
        return (result, new ReadReport { Scheme = scheme, SchemeDetected = detected, RepairedSentences = repaired });
    }
}
