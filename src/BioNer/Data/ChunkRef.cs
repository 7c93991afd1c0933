namespace BioNer.Data;

/// <summary>An entity found in encoded labels: type id and inclusive [Start, End] positions in the flattened stream.</summary>
internal readonly record struct ChunkRef(int Type, int Start, int End);
