using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BioNer.IO;

namespace BioNer.Translation;

/// <summary>Entity counts of one type in a <see cref="TranslationReport"/>.</summary>
public sealed class ProjectionCounts
{
    /// <summary>Entities of this type in the source corpus.</summary>
    public int Source { get; internal set; }

    /// <summary>Entities carried into the translated corpus.</summary>
    public int Projected { get; internal set; }

    /// <summary>Of <see cref="Projected"/>, those in sentences whose markers needed a repair.</summary>
    public int Repaired { get; internal set; }

    /// <summary>Entities lost (their sentence was dropped).</summary>
    public int Dropped { get; internal set; }
}

/// <summary>A dropped sentence kept as an example in the report, so that a user can see what the engine did.</summary>
/// <param name="Index">0-based index of the sentence in the source corpus.</param>
/// <param name="Reason">Why it was dropped.</param>
/// <param name="Detail">A readable explanation.</param>
/// <param name="Sent">The text sent to the engine.</param>
/// <param name="Received">The engine's answer.</param>
public sealed record DropExample(int Index, string Reason, string? Detail, string Sent, string Received);

/// <summary>One source entity that did not reach the translated corpus, so that every loss is on record.</summary>
/// <param name="Sentence">0-based index of its sentence in the source corpus.</param>
/// <param name="Entity">0-based index of the entity in its sentence.</param>
/// <param name="Type">Its type.</param>
/// <param name="Text">Its source text.</param>
/// <param name="Reason">Why it was lost.</param>
public sealed record DroppedEntity(int Sentence, int Entity, string Type, string Text, string Reason);

/// <summary>
/// What a corpus translation did: sentences translated, kept, repaired and dropped (with reasons), entities projected
/// and lost per type, and what the backend was asked. Printed as a table by the CLI and saved as JSON next to the
/// output, so that the quality of a translated training set is on record.
/// </summary>
public sealed class TranslationReport
{
    /// <summary>How many dropped sentences are kept as <see cref="Examples"/>.</summary>
    public const int MaxExamples = 20;

    /// <summary>The backend's name (as in the cache).</summary>
    public string Backend { get; internal set; } = "";
    /// <summary>Source language code.</summary>
    public string Source { get; internal set; } = "";
    /// <summary>Target language code.</summary>
    public string Target { get; internal set; } = "";
    /// <summary>Projection method (<c>markers</c> or <c>align</c>).</summary>
    public string Projection { get; internal set; } = "";
    /// <summary>Marker style, for the markers method.</summary>
    public string? MarkerStyle { get; internal set; }

    /// <summary>Sentences in the source corpus.</summary>
    public int Sentences { get; internal set; }
    /// <summary>Sentences written to the translated corpus.</summary>
    public int SentencesKept { get; internal set; }
    /// <summary>Of <see cref="SentencesKept"/>, those whose markers were repaired.</summary>
    public int SentencesRepaired { get; internal set; }
    /// <summary>Sentences dropped (see <see cref="SentenceDrops"/>).</summary>
    public int SentencesDropped { get; internal set; }

    /// <summary>Entities in the source corpus.</summary>
    public int Entities { get; internal set; }
    /// <summary>Entities in the translated corpus.</summary>
    public int EntitiesProjected { get; internal set; }
    /// <summary>Of <see cref="EntitiesProjected"/>, those in repaired sentences.</summary>
    public int EntitiesRepaired { get; internal set; }
    /// <summary>Entities lost.</summary>
    public int EntitiesDropped { get; internal set; }

    /// <summary>Per repair kind, the number of kept sentences it was applied to.</summary>
    public SortedDictionary<string, int> Repairs { get; } = new(StringComparer.Ordinal);
    /// <summary>Per drop reason, the number of dropped sentences.</summary>
    public SortedDictionary<string, int> SentenceDrops { get; } = new(StringComparer.Ordinal);
    /// <summary>Per drop reason, the number of lost entities (align tells entity-level reasons apart).</summary>
    public SortedDictionary<string, int> EntityDrops { get; } = new(StringComparer.Ordinal);
    /// <summary>Per entity type, its counts.</summary>
    public SortedDictionary<string, ProjectionCounts> Types { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct texts sent for translation.</summary>
    public int Texts { get; internal set; }
    /// <summary>Of <see cref="Texts"/>, those answered from the cache.</summary>
    public int CacheHits { get; internal set; }
    /// <summary>Requests sent to the backend, retries included.</summary>
    public int Requests { get; internal set; }
    /// <summary>Retries after transient failures.</summary>
    public int Retries { get; internal set; }

    /// <summary>The first <see cref="MaxExamples"/> dropped sentences.</summary>
    public List<DropExample> Examples { get; } = [];

    /// <summary>Every lost entity, in corpus order (<see cref="EntitiesDropped"/> of them).</summary>
    public List<DroppedEntity> DroppedEntities { get; } = [];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Adds one sentence's outcome (its source entities' types and texts in order, what was sent and received).</summary>
    internal void Add(int index, IReadOnlyList<string> sourceTypes, IReadOnlyList<string> sourceTexts, ProjectionResult result, string sent, string received)
    {
        Sentences++;
        Entities += sourceTypes.Count;
        foreach (string t in sourceTypes) Type(t).Source++;
        for (int e = 0; e < result.DroppedEntities.Count; e++)
        {
            var (type, reason) = result.DroppedEntities[e];
            Type(type).Dropped++;
            EntitiesDropped++;
            Bump(EntityDrops, reason.ToString());
            // DroppedEntities lists every source entity in order when a sentence is dropped.
            DroppedEntities.Add(new(index, e, type, e < sourceTexts.Count ? sourceTexts[e] : "", reason.ToString()));
        }
        if (!result.Kept)
        {
            SentencesDropped++;
            Bump(SentenceDrops, result.Drop!.Value.ToString());
            if (Examples.Count < MaxExamples) Examples.Add(new(index, result.Drop.Value.ToString(), result.Detail, sent, received));
            return;
        }
        SentencesKept++;
        bool repaired = result.Repairs.Count > 0;
        if (repaired) SentencesRepaired++;
        foreach (var r in result.Repairs) Bump(Repairs, r.ToString());
        foreach (var (type, _, _) in Data.Schemes.Spans(result.Labels))
        {
            Type(type).Projected++;
            EntitiesProjected++;
            if (repaired) { Type(type).Repaired++; EntitiesRepaired++; }
        }
    }

    private ProjectionCounts Type(string type) => Types.TryGetValue(type, out var c) ? c : Types[type] = new ProjectionCounts();

    private static void Bump(SortedDictionary<string, int> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>The report as indented JSON (snake_case keys).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/> atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, ToJson() + "\n");

    /// <summary>A plain-text summary with a per-type table, for the console.</summary>
    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(c, $"translated {Source} -> {Target} with {Backend} ({Projection}{(MarkerStyle is null ? "" : ", " + MarkerStyle)})");
        sb.AppendLine(c, $"sentences: {Sentences} in, {SentencesKept} kept ({SentencesRepaired} repaired), {SentencesDropped} dropped");
        sb.AppendLine(c, $"entities:  {Entities} in, {EntitiesProjected} projected ({EntitiesRepaired} repaired), {EntitiesDropped} dropped");
        sb.AppendLine(c, $"backend:   {Texts} texts, {CacheHits} from cache, {Requests} requests, {Retries} retries");
        if (Repairs.Count > 0) sb.AppendLine("repairs:   " + string.Join(", ", Repairs.Select(r => $"{r.Key} {r.Value}")));
        if (SentenceDrops.Count > 0) sb.AppendLine("dropped:   " + string.Join(", ", SentenceDrops.Select(r => $"{r.Key} {r.Value}")));
        int width = Math.Max(4, Types.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max());
        sb.AppendLine(c, $"{"type".PadRight(width)}  {"source",8} {"projected",9} {"repaired",8} {"dropped",8} {"kept %",7}");
        foreach (var (type, t) in Types)
        {
            string pct = t.Source == 0 ? "-" : (100.0 * t.Projected / t.Source).ToString("0.0", c);
            sb.AppendLine(c, $"{type.PadRight(width)}  {t.Source,8} {t.Projected,9} {t.Repaired,8} {t.Dropped,8} {pct,7}");
        }
        return sb.ToString();
    }
}
