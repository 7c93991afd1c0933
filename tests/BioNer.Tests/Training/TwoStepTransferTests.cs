using System.Text.Json.Nodes;
using BioNer.Checkpoints;
using BioNer.Data;
using BioNer.Modeling;
using BioNer.Tests.Data;
using BioNer.Training;
using TorchSharp;

namespace BioNer.Tests.Training;

/// <summary>
/// Two-step transfer: a model fine-tuned on types {Alpha, Beta} is fine-tuned again on {Beta, Gamma}; its labels keep
/// their classifier rows, Gamma gets new ones, and the result knows all of them.
/// </summary>
[Collection(TrainingCollection.Name)]
public class TwoStepTransferTests
{
    private static Func<string, string> Types(string protein, string taxon) => tag =>
        tag.Length > 2 && tag[1] == '-' ? tag[2..] switch
        {
            "Protein" when protein.Length > 0 => tag[..2] + protein,
            "Taxon" when taxon.Length > 0 => tag[..2] + taxon,
            "Sequence" when protein.Length == 0 => tag[..2] + "Gamma",
            _ => "O",
        } : tag;

    private static string[] ConfigLabels(string dir)
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "config.json")))!.AsObject();
        var id2label = config["id2label"]!.AsObject();
        var label2id = config["label2id"]!.AsObject();
        var labels = Enumerable.Range(0, id2label.Count).Select(i => id2label[i.ToString()]!.GetValue<string>()).ToArray();
        Assert.Equal(labels.Length, label2id.Count);
        for (int i = 0; i < labels.Length; i++) Assert.Equal(i, label2id[labels[i]]!.GetValue<int>());
        return labels;
    }

    [Fact]
    public void Run_FineTunedModelOnNewTypes_KeepsOldRowsAddsNewLabels()
    {
        using var tmp = new TempDir();
        var (trainA, devA) = TrainTestData.WriteSubset(tmp.File("a"), tag: Types("Alpha", "Beta"));
        var (trainB, devB) = TrainTestData.WriteSubset(tmp.File("b"), tag: Types("", "Beta"));
        var o = TrainTestData.Fast() with { Epochs = 1 };
        string outA = tmp.File("model-a"), outB = tmp.File("model-b");

        FineTuner.Run(TrainTestData.Request(trainA, devA, outA, o));
        var labelsA = ConfigLabels(outA);
        Assert.Contains("B-Alpha", labelsA);
        Assert.Contains("I-Beta", labelsA);
        Assert.DoesNotContain("B-Gamma", labelsA);

        // The head FineTuner builds for B before its first step: the same label list and the same loader call.
        var corpusB = CorpusIO.Read(trainB);
        var labelsB = TrainingData.BuildLabels(ModelConfig.Load(Path.Combine(outA, "config.json")).Labels, [corpusB]);
        Assert.Equal(labelsA, labelsB.Take(labelsA.Length));
        Assert.Equal(["B-Gamma", "I-Gamma"], labelsB.Skip(labelsA.Length));
        using (var a = CheckpointLoader.Load(outA))
        using (var b = CheckpointLoader.Load(outA, labelsB, seed: o.Seed))
        {
            float[] wA = a.Classifier.weight!.data<float>().ToArray(), wB = b.Classifier.weight!.data<float>().ToArray();
            float[] bA = a.Classifier.bias!.data<float>().ToArray(), bB = b.Classifier.bias!.data<float>().ToArray();
            int hidden = wA.Length / labelsA.Length;
            Assert.Equal(labelsB.Count * hidden, wB.Length);
            Assert.Equal(wA, wB.Take(wA.Length));                      // O, B-Beta, I-Beta, ... rows unchanged
            Assert.Equal(bA, bB.Take(bA.Length));
            Assert.Contains(wB.Skip(wA.Length), v => v != 0);           // Gamma rows are freshly initialised
        }

        var messages = new List<string>();
        var result = FineTuner.Run(TrainTestData.Request(trainB, devB, outB, o, model: outA), new TrainingObserver { Message = messages.Add });

        Assert.Contains(messages, m => m.Contains($"kept {labelsA.Length} head rows, 2 new (B-Gamma, I-Gamma), 0 dropped"));
        Assert.Equal(labelsB, ConfigLabels(outB));
        string card = File.ReadAllText(Path.Combine(outB, "README.md"));
        Assert.Contains("`B-Alpha`", card);
        Assert.Contains("`I-Gamma`", card);
        Assert.All(result.Final.Predictions.SelectMany(p => p), l => Assert.Contains(l, labelsB));
    }
}
