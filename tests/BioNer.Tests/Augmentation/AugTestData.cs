using BioNer.Augmentation;
using BioNer.Data;

namespace BioNer.Tests.Augmentation;

/// <summary>Fixture paths and a synthetic, reproducible labelled corpus for the augmentation tests.</summary>
internal static class AugTestData
{
    public static string Fixture(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "fixtures", "aug", .. parts]);

    public static Sentence S(string text, string labels) =>
        new(text.Split(' '), labels.Split(' ')) { Offsets = Offsets(text), DocumentId = "doc", SourceLine = 1 };

    private static (int, int)[] Offsets(string text)
    {
        var result = new List<(int, int)>();
        int at = 0;
        foreach (string w in text.Split(' ')) { result.Add((at, at + w.Length)); at += w.Length + 1; }
        return [.. result];
    }

    private static readonly string[] Chemicals = ["glucose", "water", "sodium chloride", "ethyl alcohol", "ATP"];
    private static readonly string[] Cells = ["T cell", "fibroblast", "B lymphocyte", "neuron"];
    private static readonly string[] Filler = ["the", "of", "in", "was", "treated", "with", "cells", "and", "a", "."];

    /// <summary>A corpus of <paramref name="sentences"/> sentences mixing O words and Chemical/Cell mentions.</summary>
    public static Corpus Synthetic(int sentences, int seed = 7)
    {
        var rng = new Random(seed);
        var list = new List<Sentence>();
        for (int s = 0; s < sentences; s++)
        {
            var words = new List<string>();
            var labels = new List<string>();
            int parts = rng.Next(3, 9);
            for (int p = 0; p < parts; p++)
            {
                int kind = rng.Next(4);
                if (kind >= 2)
                {
                    string w = Filler[rng.Next(Filler.Length)];
                    words.Add(w);
                    labels.Add("O");
                    continue;
                }
                string type = kind == 0 ? "Chemical" : "Cell";
                var name = (kind == 0 ? Chemicals : Cells)[rng.Next(kind == 0 ? Chemicals.Length : Cells.Length)].Split(' ');
                words.AddRange(name);
                labels.AddRange(name.Select((_, i) => (i == 0 ? "B-" : "I-") + type));
            }
            list.Add(new Sentence(words, labels) { SourceLine = s + 1 });
        }
        return new Corpus(list, "synthetic");
    }

    /// <summary>A lexicon with several multi-word terms per type.</summary>
    public static TermLexicon Lexicon()
    {
        var lex = new TermLexicon();
        foreach (string t in Chemicals.Concat(["alpha-D-glucose", "potassium ion", "heme b"])) lex.Add("Chemical", t);
        foreach (string t in Cells.Concat(["red blood cell", "hepatocyte"])) lex.Add("Cell", t);
        return lex;
    }

    /// <summary>Asserts that every label sequence is valid IOB2 and words/labels have equal length.</summary>
    public static void AssertIob2(Sentence s)
    {
        Assert.Equal(s.Words.Count, s.Labels.Count);
        for (int i = 0; i < s.Count; i++)
        {
            string l = s.Labels[i];
            Assert.True(l == "O" || l.StartsWith("B-") || l.StartsWith("I-"), l);
            if (l.StartsWith("I-"))
                Assert.True(i > 0 && s.Labels[i - 1].Length > 2 && s.Labels[i - 1][2..] == l[2..], $"I- without mention at {i}");
        }
    }

    public static string Text(Sentence s) => string.Join(" ", s.Words) + " | " + string.Join(" ", s.Labels);
}
