using System.Text;
using BioNer.Data;
using BioNer.Literature;
using BioNer.Tokenization;

namespace BioNer.Pretraining;

/// <summary>
/// Unlabelled text for <c>bioner pretrain</c>, as HF <c>run_mlm.py</c> prepares it: rows of text (a plain-text file's
/// non-empty lines, a literature file's passages — PubMed XML, BioC, PubTator, JSONL — or a labelled corpus's
/// sentences with their words joined by spaces), the first <see cref="MlmOptions.ValidationSplitPercentage"/> % of the
/// rows held out, then every row tokenized once with its special tokens and either concatenated and cut into blocks of
/// <c>max_seq_length</c> (<c>group_texts</c>, the remainder dropped) or, line by line, truncated on its own.
/// </summary>
public static class MlmCorpus
{
    /// <summary>The rows of every file under <paramref name="paths"/> (files, or folders read recursively in ordinal
    /// order, hidden files skipped), in order. Bad or binary files fail with their name.</summary>
    public static List<string> ReadRows(IEnumerable<string> paths)
    {
        var rows = new List<string>();
        foreach (var path in paths.SelectMany(Expand))
        {
            int before = rows.Count;
            rows.AddRange(ReadFile(path).Select(r => r.Trim()).Where(r => r.Length > 0));
            if (rows.Count == before) throw new BioNerException("no text in this file", path);
        }
        return rows;
    }

    private static IEnumerable<string> Expand(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new BioNerException("file or folder not found", path);
        var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(path, f).Split('/', '\\').Any(p => p.StartsWith('.')))
            .Order(StringComparer.Ordinal).ToList();
        return files.Count > 0 ? files : throw new BioNerException("folder holds no files", path);
    }

    private static IEnumerable<string> ReadFile(string path)
    {
        var format = InputFiles.Detect(path);
        if (InputFiles.IsWordLevel(format))
            return CorpusIO.Read(path, options: new ReadOptions { RawLabels = true }).Sentences.Select(s => string.Join(' ', s.Words));
        if (format == InputFormat.Text)
        {
            using var reader = new StreamReader(InputFiles.Open(path), new UTF8Encoding(false, throwOnInvalidBytes: true));
            var lines = new List<string>();
            try
            {
                for (string? line; (line = reader.ReadLine()) is not null;) lines.Add(line);
            }
            catch (DecoderFallbackException)
            {
                throw new BioNerException($"not valid UTF-8 (after line {lines.Count})", path, lines.Count + 1);
            }
            return lines;
        }
        using var documents = DocumentReader.Open(path, format, OffsetUnit.Utf16);
        return documents.Documents.SelectMany(d => d.Passages.Select(p => p.Text)).ToList();
    }

    /// <summary>How many of <paramref name="rows"/> rows go to validation: <paramref name="percent"/> % rounded, at
    /// least one when the share is positive and more than one row exists.</summary>
    public static int ValidationCount(int rows, double percent)
    {
        if (percent <= 0 || rows < 2) return 0;
        return Math.Clamp((int)Math.Round(rows * percent / 100, MidpointRounding.AwayFromZero), 1, rows - 1);
    }

    /// <summary>
    /// Token sequences (specials included) of <paramref name="rows"/>: blocks of exactly <paramref name="maxLength"/>
    /// ids cut from the concatenation of every tokenized row, or with <paramref name="lineByLine"/> one sequence per
    /// row truncated to <paramref name="maxLength"/> (its last id kept as the separator, as truncation does). One
    /// difference from run_mlm.py, on purpose: <c>group_texts</c> there concatenates within each <c>datasets.map</c>
    /// batch of 1,000 rows and drops each batch's remainder; here only the last remainder is dropped.
    /// </summary>
    public static List<int[]> Encode(IReadOnlyList<string> rows, HfTokenizer tokenizer, int maxLength, bool lineByLine)
    {
        var sequences = new List<int[]>();
        if (lineByLine)
        {
            foreach (var row in rows)
            {
                var ids = tokenizer.Encode(row);
                if (ids.Length > maxLength) ids = [.. ids[..(maxLength - 1)], ids[^1]];
                sequences.Add(ids);
            }
            return sequences;
        }
        var block = new List<int>(maxLength);
        foreach (var row in rows)
            foreach (int id in tokenizer.Encode(row))
            {
                block.Add(id);
                if (block.Count < maxLength) continue;
                sequences.Add(block.ToArray());
                block.Clear();
            }
        return sequences;
    }
}
