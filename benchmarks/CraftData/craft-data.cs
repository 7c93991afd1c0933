#:project ../../src/BioNer/BioNer.csproj
#:property PublishAot=false
// Regenerates benchmarks/DATA.md figures and samples/craft-sample from a CRAFT v5 checkout and Crichton's CRAFT-IOB.
// Usage: dotnet run craft-data.cs -- stats <craft-dir> <craft-iob-dir>
//        dotnet run craft-data.cs -- sample <craft-dir> <samples-dir>
using System.Text;
using System.Text.RegularExpressions;
using BioNer.Data;
using BioNer.Data.Craft;
using BioNer.IO;

switch (args[0])
{
    case "stats": Stats(args[1], args[2]); break;
    case "sample": Sample(args[1], args[2]); break;
    default: throw new ArgumentException("stats | sample");
}

static void Stats(string craft, string iob)
{
    var sw = System.Diagnostics.Stopwatch.StartNew();
    foreach (bool ext in new[] { false, true })
    {
        var splits = new CraftConverter(new CraftOptions { UseExtensions = ext }).Convert(craft);
        Console.WriteLine($"## CRAFT v5 conversion (UseExtensions={ext}, official split={splits.OfficialSplit}, {sw.Elapsed.TotalSeconds:F1} s)\n");
        Console.WriteLine(SplitTable([("train", splits.Train), ("dev", splits.Dev), ("test", splits.Test)]));
        Console.WriteLine(splits.Report.ToMarkdown());
    }
    var crichton = new[] { "train", "devel", "test" }.Select(f => (f, ReadTsv(Path.Combine(iob, f + ".tsv")))).ToList();
    Console.WriteLine("## Crichton CRAFT-IOB\n");
    Console.WriteLine(SplitTable(crichton));
}

static string SplitTable(List<(string Name, Corpus Corpus)> splits)
{
    var types = splits.SelectMany(s => s.Corpus.EntityTypes()).Distinct().Order(StringComparer.Ordinal).ToList();
    var sb = new StringBuilder();
    sb.AppendLine("| split | documents | sentences | tokens | " + string.Join(" | ", types) + " | all entities |");
    sb.AppendLine("|---|--:|--:|--:|" + string.Concat(types.Select(_ => "--:|")) + "--:|");
    foreach (var (name, c) in splits)
    {
        var counts = types.Select(t => c.Sentences.Sum(s => s.Labels.Count(l => l == "B-" + t))).ToList();
        int docs = c.Sentences.Select(s => s.DocumentId).Distinct().Count(d => d is not null);
        sb.AppendLine($"| {name} | {docs} | {c.Sentences.Count} | {c.TokenCount} | {string.Join(" | ", counts)} | {counts.Sum()} |");
    }
    return sb.ToString();
}

static Corpus ReadTsv(string path) => ConllReader.Read(path, new ReadOptions { LabelMap = LabelMap.CraftIob });

static void Sample(string craft, string outDir)
{
    var licences = CcByLicences(craft);
    var (trainIds, devIds, testIds, _) = CraftConverter.SplitIds(craft);
    var converter = new CraftConverter();
    var report = new ConversionReport();
    var train = Pick(converter, craft, trainIds.Where(licences.ContainsKey).ToList(), 360, report);
    var dev = Pick(converter, craft, devIds.Concat(testIds).Where(licences.ContainsKey).ToList(), 120, report);
    var used = train.Concat(dev).Select(s => s.DocumentId!).ToHashSet();
    string dir = Path.Combine(outDir, "craft-sample");
    ConllWriter.Write(new Corpus(train), Path.Combine(dir, "train.conll"));
    ConllWriter.Write(new Corpus(dev), Path.Combine(dir, "dev.conll"));
    JsonlWriter.Write(new Corpus(train), Path.Combine(dir, "train.jsonl"));
    JsonlWriter.Write(new Corpus(dev), Path.Combine(dir, "dev.jsonl"));
    WriteTerms(converter, craft, used, Path.Combine(dir, "terms"));
    foreach (var (name, set) in new[] { ("train", train), ("dev", dev) })
        Console.WriteLine(SplitTable([(name, new Corpus(set))]));
    Console.WriteLine("## articles used");
    foreach (var id in used.Order(StringComparer.Ordinal)) Console.WriteLine($"| {id} | {licences[id]} |");
}

// Articles whose nxml <license> is Creative Commons Attribution (by xlink:href or by its text).
static Dictionary<string, string> CcByLicences(string craft)
{
    var result = new Dictionary<string, string>();
    foreach (var line in File.ReadLines(Path.Combine(craft, "articles", "ids", "craft-idmappings.txt")))
    {
        if (line.StartsWith('#') || line.Length == 0) continue;
        var cols = line.Split('\t');
        string xml = File.ReadAllText(Path.Combine(craft, "articles", "nxml", cols[0]));
        var lic = Regex.Match(xml, "<license[^>]*>.*?</license>", RegexOptions.Singleline);
        if (!lic.Success) continue;
        var href = Regex.Match(lic.Value, "xlink:href=\"([^\"]+)\"");
        string text = Regex.Replace(Regex.Replace(lic.Value, "<[^>]+>", ""), @"\s+", " ").Trim();
        if (href.Success && href.Groups[1].Value.Contains("creativecommons.org/licenses/by/"))
            result[cols[2]] = $"{cols[1]}, CC BY ({href.Groups[1].Value})";
        else if (text.Contains("Creative Commons Attribution License"))
            result[cols[2]] = $"{cols[1]}, CC BY (licence text: \"Creative Commons Attribution License\")";
    }
    return result;
}

// Per article, the first sentences of 5..60 words with at least one entity, spread evenly over the articles.
static List<Sentence> Pick(CraftConverter converter, string craft, List<string> ids, int target, ConversionReport report)
{
    int perDoc = (target + ids.Count - 1) / ids.Count;
    var picked = new List<Sentence>();
    foreach (var id in ids)
    {
        var take = converter.ConvertDocument(craft, id, report)
            .Where(s => s.Count is >= 5 and <= 60 && s.Labels.Any(l => l != "O")).Take(Math.Min(perDoc, target - picked.Count));
        picked.AddRange(take);
        if (picked.Count >= target) break;
    }
    return picked;
}

// Most frequent distinct entity texts per tag from the articles NOT in the sample.
static void WriteTerms(CraftConverter converter, string craft, HashSet<string> exclude, string dir)
{
    var counts = new Dictionary<string, Dictionary<string, int>>();
    var report = new ConversionReport();
    foreach (var id in CraftConverter.DocumentIds(craft).Where(i => !exclude.Contains(i)))
    {
        string text = File.ReadAllText(Path.Combine(craft, "articles", "txt", id + ".txt"));
        foreach (var s in converter.ConvertDocument(craft, id, report))
            for (int i = 0; i < s.Count; i++)
            {
                if (!s.Labels[i].StartsWith("B-")) continue;
                int j = i + 1;
                while (j < s.Count && s.Labels[j] == "I-" + s.Labels[i][2..]) j++;
                string term = text[s.Offsets![i].Start..s.Offsets[j - 1].End];
                if (term.Contains('\n') || term.Length < 3) continue;
                var byTag = counts.TryGetValue(s.Labels[i][2..], out var d) ? d : counts[s.Labels[i][2..]] = new();
                byTag[term] = byTag.GetValueOrDefault(term) + 1;
            }
    }
    foreach (var (tag, terms) in counts)
    {
        var top = terms.GroupBy(kv => kv.Key.ToLowerInvariant()).Select(g => g.OrderByDescending(kv => kv.Value).First())
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(40).Select(kv => kv.Key);
        AtomicFile.WriteAllText(Path.Combine(dir, tag + ".txt"), string.Join("\n", top) + "\n");
    }
}
