using BioNer.Data;

namespace BioNer.Augmentation;

/// <summary>
/// How term strings (ontology names, list lines) are cut into words. Terms must be tokenized exactly like the corpus,
/// or a replacement would carry multi-token words the model never sees in real text; so every term source takes a
/// <c>Func&lt;string, IReadOnlyList&lt;string&gt;&gt;</c> and falls back to <see cref="Default"/>.
/// </summary>
internal static class TermTokenizer
{
    /// <summary>The single swap point: the tokenizer used when a caller passes none (the corpus word tokenizer).</summary>
    internal static readonly Func<string, IReadOnlyList<string>> Default = WordTokenizer.Words;
}
