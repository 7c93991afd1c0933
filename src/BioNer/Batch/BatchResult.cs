namespace BioNer.Batch;

/// <summary>What one process of a batch run did.</summary>
/// <param name="Done">Units annotated now.</param>
/// <param name="Skipped">Units whose output was already complete and this run's.</param>
/// <param name="Failed">Units that failed (input errors), each reported and recorded.</param>
public sealed record BatchResult(IReadOnlyList<UnitRecord> Done, IReadOnlyList<string> Skipped, IReadOnlyList<UnitRecord> Failed);
