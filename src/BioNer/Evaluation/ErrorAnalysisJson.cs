using System.Text;
using System.Text.Json;

namespace BioNer.Evaluation;

public sealed partial record ErrorAnalysisResult
{
    /// <summary>
    /// The analysis as JSON (snake_case keys; scheme objects carry nervaluate's keys <c>correct</c>, <c>incorrect</c>,
    /// <c>partial</c>, <c>missed</c>, <c>spurious</c>, <c>possible</c>, <c>actual</c>, <c>precision</c>, <c>recall</c>,
    /// <c>f1</c>), for <c>bioner evaluate --json</c> and scripts:
    /// <code>
    /// {"sentences", "gold_entities", "predicted_entities", "min_overlap_percentage", "partial_f1",
    ///  "categories": {"exact_match", "wrong_type", "wrong_boundary", "both_wrong", "missed", "spurious"},
    ///  "overall": {"strict": {...}, "ent_type": {...}, "partial": {...}, "exact": {...}},
    ///  "types": {"TYPE": {"categories": {...}, "strict": {...}, "ent_type": {...}, "partial": {...}, "exact": {...}}},
    ///  "confusion": {"labels": [..., "none"], "counts": [[gold row of predicted columns], ...]},
    ///  "examples": {"wrong_type": [{"sentence", "gold": {"type", "start", "end", "text"}, "predicted": {...}}], ...}}
    /// </code>
    /// <c>examples</c> (the error categories only, the first <paramref name="examplesPerCategory"/> of each, with
    /// inclusive word positions) is written only when <paramref name="examplesPerCategory"/> &gt; 0.
    /// </summary>
    public string ToJson(bool indented = true, int examplesPerCategory = 0)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            w.WriteStartObject();
            w.WriteNumber("sentences", Sentences);
            w.WriteNumber("gold_entities", Categories.Gold);
            w.WriteNumber("predicted_entities", Categories.Predicted);
            w.WriteNumber("min_overlap_percentage", MinOverlapPercentage);
            w.WriteNumber("partial_f1", PartialF1);
            WriteCategories(w, Categories);
            w.WriteStartObject("overall");
            WriteSchemes(w, Overall);
            w.WriteEndObject();
            w.WriteStartObject("types");
            foreach (var t in Types)
            {
                w.WriteStartObject(t.Type);
                WriteCategories(w, t.Categories);
                WriteSchemes(w, t.Schemes);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            WriteConfusion(w, Confusion);
            if (examplesPerCategory > 0) WriteExamples(w, examplesPerCategory);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The error categories (every category but <see cref="ErrorCategory.ExactMatch"/>), in report order.</summary>
    public static IReadOnlyList<ErrorCategory> ErrorCategories { get; } =
        [ErrorCategory.WrongType, ErrorCategory.WrongBoundary, ErrorCategory.BothWrong, ErrorCategory.Missed,
            ErrorCategory.Spurious];

    private static void WriteCategories(Utf8JsonWriter w, CategoryCounts c)
    {
        w.WriteStartObject("categories");
        foreach (var category in Enum.GetValues<ErrorCategory>()) w.WriteNumber(CategoryCounts.Key(category), c[category]);
        w.WriteEndObject();
    }

    private static void WriteSchemes(Utf8JsonWriter w, SemEvalScores schemes)
    {
        foreach (var s in schemes.All)
        {
            w.WriteStartObject(s.Name);
            w.WriteNumber("correct", s.Correct);
            w.WriteNumber("incorrect", s.Incorrect);
            w.WriteNumber("partial", s.Partial);
            w.WriteNumber("missed", s.Missed);
            w.WriteNumber("spurious", s.Spurious);
            w.WriteNumber("possible", s.Possible);
            w.WriteNumber("actual", s.Actual);
            w.WriteNumber("precision", s.Precision);
            w.WriteNumber("recall", s.Recall);
            w.WriteNumber("f1", s.F1);
            w.WriteEndObject();
        }
    }

    private static void WriteConfusion(Utf8JsonWriter w, ConfusionMatrix m)
    {
        w.WriteStartObject("confusion");
        w.WriteStartArray("labels");
        foreach (var label in m.Labels) w.WriteStringValue(label);
        w.WriteEndArray();
        w.WriteStartArray("counts");
        foreach (var row in m.Counts)
        {
            w.WriteStartArray();
            foreach (long n in row) w.WriteNumberValue(n);
            w.WriteEndArray();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void WriteExamples(Utf8JsonWriter w, int perCategory)
    {
        w.WriteStartObject("examples");
        foreach (var category in ErrorCategories)
        {
            w.WriteStartArray(CategoryCounts.Key(category));
            foreach (var c in Cases.Where(c => c.Category == category).Take(perCategory))
            {
                w.WriteStartObject();
                w.WriteNumber("sentence", c.Sentence);
                WriteEntity(w, "gold", c.Gold, c.GoldText);
                WriteEntity(w, "predicted", c.Predicted, c.PredictedText);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static void WriteEntity(Utf8JsonWriter w, string name, Chunk? entity, string? text)
    {
        if (entity is not { } e)
        {
            w.WriteNull(name);
            return;
        }
        w.WriteStartObject(name);
        w.WriteString("type", e.Type);
        w.WriteNumber("start", e.Start);
        w.WriteNumber("end", e.End);
        if (text is null) w.WriteNull("text"); else w.WriteString("text", text);
        w.WriteEndObject();
    }
}
