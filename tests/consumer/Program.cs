// Load a model folder (HF layout) and print the entities of one text: the few lines README's "Use as a library" shows.
using BioNer.Inference;

using var ner = NerPipeline.Load(args[0]);
foreach (var e in ner.Predict(args[1]))
    Console.WriteLine($"{e.Type}\t{e.Start}\t{e.End}\t{e.Text}\t{e.Score:F3}");
