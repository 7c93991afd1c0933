using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using BioNer.Batch;
using BioNer.Inference;
using BioNer.Literature;
using BioNer.Tests.Inference;

namespace BioNer.Tests.Literature;

public class BioCAndPubTatorTests
{
    private static readonly Dictionary<string, string> Lexicon = new()
    {
        ["aspirin"] = "B-Chemical", ["Pax6"] = "B-Gene", ["catenin"] = "B-Gene", ["cells"] = "B-Gene",
    };

    private const string BioCInput = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE collection SYSTEM "BioC.dtd">
        <collection><source>PubTator</source><date>20250101</date><key>BioC.key</key><infon key="release">1</infon>
        <document><id>111</id><infon key="journal">J Test</infon>
        <passage><infon key="type">title</infon><offset>0</offset><text>β-catenin in 𝛼-cells</text>
        <annotation id="7"><infon key="type">Gene</infon><infon key="identifier">1499</infon><location offset="0" length="9"/><text>β-catenin</text></annotation></passage>
        <passage><infon key="type">abstract</infon><offset>21</offset><text>Mice got aspirin; Pax6 rose.</text>
        <relation id="R1"><infon key="type">Association</infon><node refid="7" role="Gene"/></relation></passage>
        </document>
        <document><id>222</id><passage><infon key="type">paragraph</infon><offset>100</offset>
        <sentence><offset>100</offset><text>Pax6 first.</text></sentence><sentence><offset>112</offset><text>Then aspirin.</text></sentence></passage></document>
        </collection>
        """;

    private static DocumentAnnotator Annotator() => new(new NerPipeline(new DictionaryScorer(Lexicon)));

    private static string Annotate(string input, string name, EntityFormat format, OffsetUnit unit = OffsetUnit.CodePoints)
    {
        using var dir = new TempDir();
        string path = dir.Write(name, input);
        using var reader = DocumentReader.Open(path, null, unit);
        var sw = new StringWriter();
        var writer = DocumentWriters.Create(format, sw, reader.Header, unit);
        foreach (var d in Annotator().Annotate(reader.Documents)) writer.Write(d);
        writer.Complete();
        return sw.ToString();
    }

    // Python's text[start:start+length] on code points.
    private static string CodePoints(string text, int start, int length)
    {
        var runes = text.EnumerateRunes().ToList();
        return string.Concat(runes.Skip(start).Take(length).Select(r => r.ToString()));
    }

    [Fact]
    public void BioCXml_AnnotatedInPlace_ExistingAnnotationsRelationsAndHeaderKept()
    {
        string output = Annotate(BioCInput, "in.xml", EntityFormat.BioC);
        var collection = XDocument.Parse(output).Root!;
        Assert.Equal("PubTator", collection.Element("source")!.Value);
        Assert.Equal("1", collection.Elements("infon").Single().Value);
        var doc = collection.Elements("document").First();
        Assert.Equal("J Test", doc.Element("infon")!.Value);
        var title = doc.Elements("passage").First();
        var annotations = title.Elements("annotation").ToList();
        Assert.Equal("7", (string?)annotations[0].Attribute("id"));
        Assert.Equal("1499", annotations[0].Elements("infon").Single(i => (string?)i.Attribute("key") == "identifier").Value);
        Assert.NotNull(doc.Descendants("relation").SingleOrDefault());
        // Every annotation's document-level code-point offset finds its text in the passage.
        foreach (var passage in collection.Descendants().Where(e => e.Name == "passage" || e.Name == "sentence"))
        {
            if (passage.Element("text") is not { } textElement) continue;
            int offset = int.Parse(passage.Element("offset")!.Value);
            foreach (var a in passage.Elements("annotation"))
            {
                var loc = a.Element("location")!;
                int start = (int)loc.Attribute("offset")! - offset, length = (int)loc.Attribute("length")!;
                Assert.Equal(a.Element("text")!.Value, CodePoints(textElement.Value, start, length));
            }
        }
        var added = doc.Descendants("annotation").Where(a => (string?)a.Attribute("id") != "7").ToList();
        Assert.Contains(added, a => a.Element("text")!.Value == "aspirin" && (string?)a.Element("location")!.Attribute("offset") == "30");
        Assert.Contains(added, a => a.Element("text")!.Value == "cells" && (string?)a.Element("location")!.Attribute("offset") == "15");
        Assert.All(added, a => Assert.True(int.Parse((string)a.Attribute("id")!) > 7));
        // Sentence-split passages are annotated per sentence.
        var second = collection.Elements("document").Last();
        Assert.Equal(["Pax6", "aspirin"], second.Descendants("sentence").SelectMany(s => s.Elements("annotation")).Select(a => a.Element("text")!.Value));
        Assert.Equal("117", (string?)second.Descendants("sentence").Last().Element("annotation")!.Element("location")!.Attribute("offset"));
    }

    [Fact]
    public void BioCXml_ByteOffsets_CountUtf8Bytes()
    {
        string input = BioCInput.Replace("<offset>21</offset>", "<offset>30</offset>").Replace("length=\"9\"", "length=\"10\"");
        string output = Annotate(input, "in.xml", EntityFormat.BioC, OffsetUnit.Bytes);
        var cells = XDocument.Parse(output).Descendants("annotation").Single(a => a.Element("text")!.Value == "cells");
        // "β-catenin in 𝛼-" is 2+1+7+1+2+1+4+1 = 19 bytes.
        Assert.Equal("19", (string?)cells.Element("location")!.Attribute("offset"));
    }

    [Fact]
    public void BioCJson_RoundTrip_KeepsExistingAndAddsAnnotations()
    {
        // The BioC XML input, as BioC JSON (what the bioc package writes), with the header after "documents" missing.
        const string json = """
            {"source": "PubTator", "date": "20250101", "key": "BioC.key", "infons": {"release": "1"}, "documents": [
             {"id": "111", "infons": {}, "passages": [
               {"offset": 0, "infons": {"type": "title"}, "text": "β-catenin in 𝛼-cells", "sentences": [], "relations": [],
                "annotations": [{"id": "7", "infons": {"type": "Gene", "identifier": "1499"}, "text": "β-catenin", "locations": [{"offset": 0, "length": 9}]}]},
               {"offset": 21, "infons": {"type": "abstract"}, "text": "Mice got aspirin; Pax6 rose.", "sentences": [], "annotations": [], "relations": []}],
              "relations": [{"id": "R1", "infons": {}, "nodes": []}]},
             {"id": "222", "infons": {}, "passages": [{"offset": 0, "infons": {}, "text": "Escaped \"quote\" and } brace: aspirin", "annotations": []}]}
            ]}
            """;
        string output = Annotate(json, "in.json", EntityFormat.BioCJson);
        var root = JsonNode.Parse(output)!.AsObject();
        Assert.Equal("PubTator", root["source"]!.GetValue<string>());
        Assert.Equal("1", root["infons"]!["release"]!.GetValue<string>());
        var docs = root["documents"]!.AsArray();
        Assert.Equal(2, docs.Count);
        Assert.Single(docs[0]!["relations"]!.AsArray());
        var title = docs[0]!["passages"]![0]!;
        Assert.Equal("7", title["annotations"]![0]!["id"]!.GetValue<string>());
        var cells = title["annotations"]!.AsArray().Single(a => a!["text"]!.GetValue<string>() == "cells")!;
        Assert.Equal(15, cells["locations"]![0]!["offset"]!.GetValue<int>());
        var aspirin = docs[1]!["passages"]![0]!["annotations"]![0]!;
        Assert.Equal("aspirin", aspirin["text"]!.GetValue<string>());
        Assert.Equal("Chemical", aspirin["infons"]!["type"]!.GetValue<string>());
        // Equal documents whichever BioC flavour they came from.
        var fromXml = DocumentsOf(BioCInput, "x.xml");
        var fromJson = DocumentsOf(json, "x.json");
        Assert.Equal(fromXml[0].Passages.Select(p => (p.Offset, p.Text)), fromJson[0].Passages.Select(p => (p.Offset, p.Text)));
        Assert.Equal(fromXml[0].Passages[0].Existing.Select(m => (m.Start, m.End, m.Type)), fromJson[0].Passages[0].Existing.Select(m => (m.Start, m.End, m.Type)));
    }

    [Theory]
    [InlineData("[{\"id\": \"1\", \"passages\": [{\"offset\": 0, \"text\": \"aspirin\"}]}]")]
    [InlineData("{\"id\": \"1\", \"passages\": [{\"offset\": 0, \"text\": \"aspirin\"}]}")]
    public void BioCJson_ArrayOrSingleDocument_Read(string json)
    {
        var docs = DocumentsOf(json, "d.json");
        Assert.Equal("1", Assert.Single(docs).Id);
        Assert.Equal("aspirin", docs[0].Passages[0].Text);
    }

    [Fact]
    public void BioCJson_DocumentPerLineAndPubTator3Export_AllDocumentsRead()
    {
        string line = "{\"id\": \"1\", \"passages\": [{\"offset\": 0, \"text\": \"" + new string('x', 9000) + "\"}]}";
        var perLine = DocumentsOf(line + "\n" + line.Replace("\"1\"", "\"2\"") + "\n", "docs.jsonl");
        Assert.Equal(["1", "2"], perLine.Select(d => d.Id));
        var export = DocumentsOf("{\"PubTator3\": [{\"id\": \"7\", \"passages\": []}, {\"id\": \"8\", \"passages\": []}]}", "export.json");
        Assert.Equal(["7", "8"], export.Select(d => d.Id));
        var e = Assert.Throws<BioNerException>(() => DocumentsOf("{\"id\": \"1\", \"passages\": [{\"offset\": 0, \"text\": 5}]}", "typed.json"));
        Assert.Contains("typed.json", e.Message);
    }

    [Fact]
    public void PubTatorToBioC_KeptMentionsWrittenWithTheirConceptIds()
    {
        const string input = "111|t|Pax6 binds DNA\n111|a|In mice.\n111\t11\t14\tDNA\tChemical\tCHEBI:16991\n";
        var collection = XDocument.Parse(Annotate(input, "in.pubtator", EntityFormat.BioC)).Root!;
        var dna = collection.Descendants("annotation").Single(a => a.Element("text")!.Value == "DNA");
        Assert.Equal("CHEBI:16991", dna.Elements("infon").Single(i => (string?)i.Attribute("key") == "identifier").Value);
        Assert.Contains(collection.Descendants("annotation"), a => a.Element("text")!.Value == "Pax6");
    }

    [Fact]
    public void BioCJson_Truncated_ErrorNamesFile()
    {
        var e = Assert.Throws<BioNerException>(() => DocumentsOf("{\"documents\": [{\"id\": \"1\", \"passages\": [", "t.json"));
        Assert.Contains("t.json", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    private static List<Document> DocumentsOf(string content, string name)
    {
        using var dir = new TempDir();
        using var reader = DocumentReader.Open(dir.Write(name, content), null, OffsetUnit.CodePoints);
        return reader.Documents.ToList();
    }

    [Fact]
    public void PubTator_RoundTrip_KeepsMentionsAndRelationsAndAddsOurs()
    {
        const string input = "111|t|β-catenin in 𝛼-cells\n111|a|Mice got aspirin; Pax6 rose.\n111\t0\t9\tβ-catenin\tGene\t1499\n111\tCID\tD1\tD2\n\n" +
                             "222|t|Pax6\n222|a|\n";
        string output = Annotate(input, "in.pubtator", EntityFormat.Pubtator);
        var lines = output.Split('\n');
        Assert.Equal("111|t|β-catenin in 𝛼-cells", lines[0]);
        Assert.Contains("111\t0\t9\tβ-catenin\tGene\t1499", lines);
        Assert.Contains("111\t15\t20\tcells\tGene", lines);
        Assert.Contains("111\t30\t37\taspirin\tChemical", lines);
        Assert.Contains("111\tCID\tD1\tD2", lines);
        Assert.Contains("222\t0\t4\tPax6\tGene", lines);
        string title = "β-catenin in 𝛼-cells", @abstract = "Mice got aspirin; Pax6 rose.";
        string full = title + " " + @abstract;
        foreach (var l in lines.Where(l => l.StartsWith("111\t") && l.Split('\t').Length >= 5))
        {
            var c = l.Split('\t');
            if (!int.TryParse(c[1], out int s)) continue;
            Assert.Equal(c[3], CodePoints(full, s, int.Parse(c[2]) - s));
        }
    }

    [Fact]
    public void PubTator_MalformedBlock_ErrorNamesLine()
    {
        using var dir = new TempDir();
        string path = dir.Write("bad.pubtator", "1|t|A\n1|a|B\n2\t0\t1\tA\tGene\n");
        using var reader = DocumentReader.Open(path, null, OffsetUnit.CodePoints);
        var e = Assert.Throws<BioNerException>(() => reader.Documents.ToList());
        Assert.Contains("bad.pubtator:3:", e.Message);
    }

    [Fact]
    public void PubMed_ToBioCAndBack_SamePassagesAndOffsets()
    {
        string pubmed = Path.Combine(PubMedXmlReaderTests.Dir, "markup-and-deletions.xml");
        var sw = new StringWriter();
        List<Document> original;
        using (var reader = DocumentReader.Open(pubmed, null, OffsetUnit.CodePoints))
        {
            original = Annotator().Annotate(reader.Documents).ToList();
            var w = DocumentWriters.Create(EntityFormat.BioC, sw, reader.Header, OffsetUnit.CodePoints);
            foreach (var d in original) w.Write(d);
            w.Complete();
        }
        var back = DocumentsOf(sw.ToString(), "back.xml");
        Assert.Equal(original.Select(d => d.Id), back.Select(d => d.Id));
        for (int i = 0; i < back.Count; i++)
        {
            Assert.Equal(original[i].Passages.Select(p => (p.Offset, p.Text)), back[i].Passages.Select(p => (p.Offset, p.Text)));
            Assert.Equal(original[i].Passages.SelectMany(p => p.Predicted).Select(m => (m.Start, m.End, m.Type)),
                back[i].Passages.SelectMany(p => p.Existing).Select(m => (m.Start, m.End, m.Type)));
        }
        Assert.Contains(back[0].Passages.SelectMany(p => p.Existing), m => m.Text == "Pax6");
    }
}
