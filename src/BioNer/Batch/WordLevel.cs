using System.Text;
using System.Text.Json.Nodes;
using BioNer.Data;
using BioNer.Inference;
using BioNer.IO;
using BioNer.Literature;

namespace BioNer.Batch;

/// <summary>
/// Prediction on pre-tokenized corpora, keeping the given words: a CoNLL file comes back as <c>token gold pred</c>
/// (<c>token pred</c> when it has no label column), which <c>bioner evaluate --gold</c> and conlleval read; JSON Lines
/// with <c>tokens</c> come back with every field kept and <c>pred_tags</c> added. Words go to the model as words
/// (<see cref="NerPipeline.LabelWords"/>), never re-split from joined text.
/// </summary>
public static class WordLevel
{
    private const int SentencesPerCall = 256;

    /// <summary>Annotates one pre-tokenized file (<see cref="InputFormat.Conll"/> or <see cref="InputFormat.JsonlTokens"/>) into <paramref name="outPath"/>, atomically.</summary>
    public static void AnnotateFile(NerPipeline pipeline, string input, InputFormat format, string outPath) =>
        Annotate(pipeline, new WorkUnit(Path.GetFullPath(input), "", 0, 1), format, outPath, new BatchRunner.Counts());

    internal static void Annotate(NerPipeline pipeline, WorkUnit unit, InputFormat format, string outPath, BatchRunner.Counts counts)
    {
        if (format == InputFormat.Conll) Conll(pipeline, unit, outPath, counts);
        else Jsonl(pipeline, unit, outPath, counts);
    }

    /// <summary>Predicted labels of <paramref name="corpus"/>'s words, as a corpus with the same words.</summary>
    public static Corpus Predict(NerPipeline pipeline, Corpus corpus)
    {
        var sentences = new List<Sentence>(corpus.Sentences.Count);
        for (int i = 0; i < corpus.Sentences.Count; i += SentencesPerCall)
        {
            var chunk = corpus.Sentences.Skip(i).Take(SentencesPerCall).ToList();
            var labels = pipeline.LabelWords(chunk.Select(s => s.Words).ToList());
            sentences.AddRange(chunk.Select((s, k) => s with { Labels = labels[k] }));
        }
        return new Corpus(sentences, corpus.Source);
    }

    private static void Conll(NerPipeline pipeline, WorkUnit unit, string outPath, BatchRunner.Counts counts)
    {
        bool labelled = ColumnCount(unit.Input) > 1;
        var corpus = labelled ? CorpusIO.Read(unit.Input, CorpusFormat.Conll, new ReadOptions { Lenient = true }) : WordsOnly(unit.Input);
        if (unit.Parts > 1) corpus = corpus with { Sentences = corpus.Sentences.Where((_, i) => i % unit.Parts == unit.Part).ToList() };
        var predicted = Predict(pipeline, corpus);
        AtomicFile.WriteAllText(outPath, labelled ? ConllWriter.Format(corpus, [predicted]) : ConllWriter.Format(predicted, []));
        Count(counts, predicted);
    }

    private static void Jsonl(NerPipeline pipeline, WorkUnit unit, string outPath, BatchRunner.Counts counts)
    {
        AtomicFile.Write(outPath, stream =>
        {
            using var output = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
            using var input = new StreamReader(InputFiles.Open(unit.Input), new UTF8Encoding(false, true));
            var pending = new List<(JsonObject Obj, List<string> Tokens)>();
            int line = 0, record = 0;
            void Flush()
            {
                var labels = pipeline.LabelWords(pending.Select(p => (IReadOnlyList<string>)p.Tokens).ToList());
                for (int k = 0; k < pending.Count; k++)
                {
                    pending[k].Obj["pred_tags"] = new JsonArray(labels[k].Select(l => (JsonNode)l).ToArray());
                    output.Write(pending[k].Obj.ToJsonString(Manifests.Compact));
                    output.Write('\n');
                    Count(counts, new Sentence(pending[k].Tokens, labels[k]));
                }
                pending.Clear();
            }
            string? raw;
            while ((raw = ReadLine(input, unit.Input, line + 1)) is not null)
            {
                line++;
                if (string.IsNullOrWhiteSpace(raw)) continue;
                if (record++ % unit.Parts != unit.Part) continue;
                JsonObject obj;
                try { obj = JsonNode.Parse(raw) as JsonObject ?? throw new BioNerException("expected a JSON object", unit.Input, line); }
                catch (System.Text.Json.JsonException e) { throw new BioNerException($"not JSON: {e.Message}", unit.Input, line); }
                if (obj["tokens"] is not JsonArray tokens || tokens.Any(t => t is not JsonValue v || !v.TryGetValue(out string? _)))
                    throw new BioNerException("field \"tokens\" must be an array of strings", unit.Input, line);
                pending.Add((obj, tokens.Select(t => t!.GetValue<string>()).ToList()));
                if (pending.Count == SentencesPerCall) Flush();
            }
            if (pending.Count > 0) Flush();
            output.Flush();
        });
    }

    private static string? ReadLine(StreamReader reader, string path, int line)
    {
        try { return reader.ReadLine(); }
        catch (DecoderFallbackException) { throw new BioNerException("not valid UTF-8", path, line); }
    }

    private static void Count(BatchRunner.Counts counts, Corpus corpus)
    {
        foreach (var s in corpus.Sentences) Count(counts, s);
    }

    private static void Count(BatchRunner.Counts counts, Sentence s)
    {
        counts.Documents++;
        counts.Passages++;
        counts.Words += s.Count;
        counts.Entities += Schemes.Spans(s.Labels).Count;
    }

    private static int ColumnCount(string path)
    {
        using var reader = new StreamReader(InputFiles.Open(path));
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length > 0 && fields[0] != ConllReader.DocStart) return fields.Length;
        }
        return 0;
    }

    private static Corpus WordsOnly(string path)
    {
        var sentences = new List<Sentence>();
        var words = new List<string>();
        string? doc = null;
        void End()
        {
            if (words.Count > 0) sentences.Add(new Sentence(words.ToList(), Enumerable.Repeat(Schemes.Outside, words.Count).ToList()) { DocumentId = doc });
            words.Clear();
        }
        using var reader = new StreamReader(InputFiles.Open(path), new UTF8Encoding(false, true));
        string? line;
        int n = 0;
        while ((line = ReadLine(reader, path, n + 1)) is not null)
        {
            n++;
            string w = line.Trim();
            if (w.Length == 0) { End(); continue; }
            if (w.StartsWith(ConllReader.DocStart, StringComparison.Ordinal)) { End(); doc = w.Length > 11 ? w[11..].Trim() : $"doc{n}"; continue; }
            if (w.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length != 1)
                throw new BioNerException("a one-column CoNLL file has one word per line", path, n);
            words.Add(w);
        }
        End();
        return new Corpus(sentences, path);
    }
}
