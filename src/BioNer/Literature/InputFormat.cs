namespace BioNer.Literature;

/// <summary>The input formats <c>bioner predict</c> reads.</summary>
public enum InputFormat
{
    /// <summary>PubMed/MEDLINE citation XML (<c>PubmedArticleSet</c>), e.g. the baseline's <c>pubmed25n0001.xml.gz</c>.</summary>
    PubMed,
    /// <summary>BioC XML (<c>collection</c> root).</summary>
    BioCXml,
    /// <summary>BioC JSON (a collection object with <c>documents</c>, an array of documents, or one document).</summary>
    BioCJson,
    /// <summary>PubTator (<c>PMID|t|</c>, <c>PMID|a|</c>, tab-separated mention lines).</summary>
    PubTator,
    /// <summary>Plain text: the whole file is one document.</summary>
    Text,
    /// <summary>JSON Lines with <c>"text"</c> (or <c>"title"</c>/<c>"abstract"</c>) per object: one document each.</summary>
    Jsonl,
    /// <summary>Pre-tokenized JSON Lines (<c>"tokens"</c>, optional <c>"ner_tags"</c>): predicted per word.</summary>
    JsonlTokens,
    /// <summary>A CoNLL column file: predicted per word, written back with a predicted label column.</summary>
    Conll,
}
