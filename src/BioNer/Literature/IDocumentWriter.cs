namespace BioNer.Literature;

/// <summary>
/// Writes documents one at a time to an output (BioC XML/JSON, PubTator, JSON Lines, ...), so memory stays bounded
/// by one document whatever the file size. <see cref="Complete"/> writes what closes the file (BioC's closing tags);
/// a writer abandoned without it leaves output that its caller discards (outputs are written atomically).
/// </summary>
public interface IDocumentWriter
{
    /// <summary>Writes one document with its kept and predicted mentions.</summary>
    void Write(Document document);

    /// <summary>Finishes the output (closing tags, flush).</summary>
    void Complete();
}
