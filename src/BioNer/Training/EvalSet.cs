using System.Text.RegularExpressions;

namespace BioNer.Training;

/// <summary>
/// A corpus scored beside dev at every evaluation of a run, as HF <c>Trainer</c> scores each entry of a dict
/// <c>eval_dataset</c>: its rows go to the results tables and <c>trainer_state.json</c> (<c>eval_NAME_f1</c>, ...), never
/// to model selection, which stays on dev. Why: a transfer stage is judged on more than its own dev set (two-step
/// transfer: the Spanish dev set, the English dev and test sets, per epoch), and scoring the live weights at each
/// evaluation is the only way to get those rows without keeping every epoch's checkpoint.
/// </summary>
/// <param name="Name">Short name used in tables and metric keys (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>).</param>
/// <param name="File">The corpus (any format <c>bioner</c> reads, labels of the run's types).</param>
public sealed partial record EvalSet(string Name, string File)
{
    /// <summary>
    /// <c>NAME=FILE</c> or <c>FILE</c> (the name is then the file name without its last extension:
    /// <c>dev.es.conll</c> → <c>dev.es</c>).
    /// </summary>
    /// <exception cref="BioNerException">An empty file or a name outside the allowed characters.</exception>
    public static EvalSet Parse(string spec)
    {
        int eq = spec.IndexOf('=');
        string name, file;
        if (eq > 0 && NamePattern().IsMatch(spec[..eq]) && !System.IO.File.Exists(spec)) (name, file) = (spec[..eq], spec[(eq + 1)..]);
        else (name, file) = (Path.GetFileNameWithoutExtension(spec.TrimEnd('/')), spec);
        if (file.Length == 0) throw new BioNerException($"--eval-also '{spec}': no file after '='");
        if (!NamePattern().IsMatch(name))
            throw new BioNerException($"--eval-also '{spec}': set name '{name}' must be letters, digits, '.', '_' or '-'; give one as NAME=FILE");
        return new EvalSet(name, file);
    }

    /// <summary>
    /// Checks that every name is well-formed and the names are distinct (they key the tables and the metric names); a
    /// request built in code or a hand-edited <c>run.json</c> does not go through <see cref="Parse"/>.
    /// </summary>
    /// <exception cref="BioNerException">Names the offending set.</exception>
    public static void CheckNames(IReadOnlyList<EvalSet> sets)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var s in sets)
        {
            if (s.Name is null || !NamePattern().IsMatch(s.Name))
                throw new BioNerException($"--eval-also: set name '{s.Name}' must be letters, digits, '.', '_' or '-'", s.File);
            if (!seen.Add(s.Name)) throw new BioNerException($"--eval-also: two sets are named '{s.Name}'; name them with NAME=FILE", s.File);
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]*$")]
    private static partial Regex NamePattern();
}
