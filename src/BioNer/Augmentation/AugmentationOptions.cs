using System.Globalization;

namespace BioNer.Augmentation;

/// <summary>
/// Settings shared by every augmenter (Dai &amp; Adel 2020). Fixed seed because an augmented training set must be
/// reproducible: the same corpus, options and seed always give the same output.
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>Probability that one unit (mention, token or segment) is changed; the reference model used 0.2.</summary>
    public double Ratio { get; init; } = 0.2;

    /// <summary>Seed of the pseudo-random generator (<see cref="System.Random"/>, stable across runs).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>How many augmented copies of the corpus to generate (copy 1 of every sentence, then copy 2, ...).</summary>
    public int Copies { get; init; } = 1;

    /// <summary>
    /// Keep copies in which nothing changed (true, as Dai &amp; Adel generate one copy per sentence) or leave them out
    /// (false, so the output holds only new sentences).
    /// </summary>
    public bool KeepUnchanged { get; init; } = true;

    /// <summary>Throws a <see cref="BioNerException"/> naming the option when a value is out of range.</summary>
    public void Validate()
    {
        if (double.IsNaN(Ratio) || Ratio < 0 || Ratio > 1)
            throw new BioNerException($"--ratio must be between 0 and 1, got {Ratio.ToString(CultureInfo.InvariantCulture)}");
        if (Copies < 1) throw new BioNerException($"--copies must be at least 1, got {Copies}");
    }
}
