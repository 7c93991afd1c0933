using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace BioNer;

/// <summary>
/// Reads the <see cref="SettingAttribute"/> declarations of an options record and applies them: the list of settings
/// (front ends build their flags from it), the config-file reader (unknown keys are errors that suggest the closest
/// valid ones), and overriding a record's values by setting. Config keys and JSON serialisation share the naming
/// policy of the options' <see cref="JsonSerializerOptions"/>, so a key is always what the record writes.
/// </summary>
public static class Settings
{
    private static readonly Dictionary<Type, IReadOnlyList<Setting>> Cache = [];

    /// <summary>
    /// The settings of <typeparamref name="T"/> in declaration order. Every public instance property must be declared:
    /// an undeclared one would be reachable from neither the command line nor the config file.
    /// </summary>
    public static IReadOnlyList<Setting> Of<T>(JsonSerializerOptions json) where T : new()
    {
        lock (Cache)
        {
            if (Cache.TryGetValue(typeof(T), out var known)) return known;
            var defaults = new T();
            var list = new List<Setting>();
            foreach (var p in typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken))
            {
                var a = p.GetCustomAttribute<SettingAttribute>()
                        ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no [Setting] declaration");
                if (a.FlagClears && p.PropertyType != typeof(bool))
                    throw new InvalidOperationException($"{typeof(T).Name}.{p.Name}: FlagClears needs a bool property");
                string key = json.PropertyNamingPolicy?.ConvertName(p.Name) ?? p.Name;
                string flag = "--" + (a.Flag ?? JsonNamingPolicy.KebabCaseLower.ConvertName(p.Name));
                list.Add(new Setting(p, flag, key, a.Help, a.FlagClears, p.GetValue(defaults)));
            }
            return Cache[typeof(T)] = list;
        }
    }

    /// <summary>The setting declared on <typeparamref name="T"/>'s property <paramref name="property"/> (use <c>nameof</c>).</summary>
    public static Setting For<T>(string property, JsonSerializerOptions json) where T : new() =>
        Of<T>(json).FirstOrDefault(s => s.Property.Name == property)
        ?? throw new ArgumentException($"{typeof(T).Name} has no setting {property}", nameof(property));

    /// <summary>
    /// Reads a config file: a JSON object whose keys are the settings' keys (comments and trailing commas allowed),
    /// applied over <c>new T()</c>. Errors name the file and line: invalid JSON, a value of the wrong type, or an unknown
    /// key (with the closest keys).
    /// </summary>
    public static T ReadConfig<T>(string path, JsonSerializerOptions json) where T : new() =>
        With(new T(), ReadKeys(path, Of<T>(json), json), json);

    /// <summary>
    /// Reads a config file of a verb whose settings live in two records (<c>bioner pretrain</c>: the loop's
    /// <typeparamref name="TA"/>, of which <paramref name="includeA"/> keeps the verb's subset, and the data's
    /// <typeparamref name="TB"/>): each key is applied to <paramref name="baseA"/> or <paramref name="baseB"/>, with the
    /// errors of <see cref="ReadConfig{T}"/>.
    /// </summary>
    public static (TA A, TB B) ReadConfig<TA, TB>(string path, JsonSerializerOptions json, TA baseA, TB baseB,
        Func<Setting, bool>? includeA = null) where TA : new() where TB : new()
    {
        var settingsA = Of<TA>(json).Where(s => includeA?.Invoke(s) ?? true).ToHashSet();
        var changes = ReadKeys(path, [.. settingsA, .. Of<TB>(json)], json);
        return (With(baseA, changes.Where(c => settingsA.Contains(c.Setting)), json),
                With(baseB, changes.Where(c => !settingsA.Contains(c.Setting)), json));
    }

    /// <summary>The settings a config file gives, each with its value parsed to the property's type, in file order.</summary>
    private static List<(Setting Setting, object? Value)> ReadKeys(string path, IReadOnlyList<Setting> settings, JsonSerializerOptions json)
    {
        if (!File.Exists(path)) throw new BioNerException("config file not found", path);
        string text = File.ReadAllText(path);
        var changes = new List<(Setting, object?)>();
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new BioNerException($"a config file holds one JSON object of settings, got {doc.RootElement.ValueKind}", path);
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                var s = settings.FirstOrDefault(x => x.Key == p.Name) ?? throw UnknownKey(p.Name, settings, path, LineOf(text, p.Name));
                try { changes.Add((s, p.Value.Deserialize(s.Property.PropertyType, json))); }
                catch (Exception e) when (e is JsonException or InvalidOperationException)
                {
                    throw new BioNerException($"key '{p.Name}' needs {Describe(s.Property.PropertyType)} (as flag {s.Flag})", path, LineOf(text, p.Name), e);
                }
            }
        }
        catch (JsonException e)
        {
            throw new BioNerException($"invalid config: {e.Message}", path, e.LineNumber is { } l ? (int)l + 1 : null, e);
        }
        return changes;
    }

    /// <summary>
    /// A copy of <paramref name="options"/> with the given settings changed. It goes through the same JSON names as a
    /// config file, so a flag and its key cannot mean different things.
    /// </summary>
    public static T With<T>(T options, IEnumerable<(Setting Setting, object? Value)> changes, JsonSerializerOptions json) where T : new()
    {
        var node = JsonSerializer.SerializeToNode(options, json)!.AsObject();
        foreach (var (s, value) in changes) node[s.Key] = JsonSerializer.SerializeToNode(value, s.Property.PropertyType, json);
        return node.Deserialize<T>(json) ?? new T();
    }

    /// <summary>Up to <paramref name="count"/> of <paramref name="candidates"/> nearest to <paramref name="name"/> by edit distance.</summary>
    public static IReadOnlyList<string> Closest(string name, IEnumerable<string> candidates, int count = 3) =>
        candidates.Select((c, i) => (c, i, d: Distance(name.ToLowerInvariant(), c.ToLowerInvariant())))
            .OrderBy(x => x.d).ThenBy(x => x.i).Take(count).Select(x => x.c).ToList();

    private static BioNerException UnknownKey(string key, IReadOnlyList<Setting> settings, string path, int? line)
    {
        // A flag written as a key (lr, --lr, batch-size) is the likeliest slip: name its key first.
        string asFlag = "--" + key.TrimStart('-').Replace('_', '-');
        var byFlag = settings.FirstOrDefault(s => s.Flag == asFlag);
        var closest = Closest(key, settings.Select(s => s.Key)).Where(k => k != byFlag?.Key);
        string hint = byFlag is null ? "" : $"{byFlag.Key} (the key of {byFlag.Flag}), ";
        return new BioNerException($"unknown key '{key}'; closest valid keys: {hint}{string.Join(", ", closest)}", path, line);
    }

    private static int? LineOf(string text, string key)
    {
        var m = Regex.Match(text, "\"" + Regex.Escape(key) + "\"\\s*:");
        return m.Success ? text.AsSpan(0, m.Index).Count('\n') + 1 : null;
    }

    private static string Describe(Type t) =>
        t == typeof(bool) ? "true or false" : t == typeof(int) || t == typeof(long) ? "a whole number" : t == typeof(double) ? "a number" : $"a {t.Name}";

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) prev[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (int j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
