using BioNer.Server;

namespace BioNer.Tests.Server;

public sealed class ModelInfoTests : IDisposable
{
    private readonly TempDir _tmp = new();

    public void Dispose() => _tmp.Dispose();

    private ModelInfo Read() => ModelInfo.Read(_tmp.Path, ["O", "B-Gene", "I-Gene"], ["Gene"]);

    [Fact]
    public void BaseModel_FromLineageFirstStage_BeforeConfig()
    {
        _tmp.Write("config.json", """{"model_type": "bert", "_name_or_path": "runs/stage1"}""");
        _tmp.Write("lineage.json", """[{"base_model": "minilm", "train_files": ["a"]}, {"base_model": "runs/stage1"}]""");
        Assert.Equal("minilm", Read().BaseModel);
        Assert.Equal("bert", Read().ModelType);
    }

    [Theory]
    [InlineData(null, "runs/stage1")]                       // no lineage: config _name_or_path
    [InlineData("[]", "runs/stage1")]                       // empty lineage
    [InlineData("{broken", "runs/stage1")]                  // unreadable lineage is informative only
    public void BaseModel_WithoutUsableLineage_FallsBackToConfig(string? lineage, string expected)
    {
        _tmp.Write("config.json", """{"model_type": "bert", "_name_or_path": "runs/stage1"}""");
        if (lineage is not null) _tmp.Write("lineage.json", lineage);
        Assert.Equal(expected, Read().BaseModel);
    }

    [Fact]
    public void BaseModel_OnlyModelType_IsModelType()
    {
        _tmp.Write("config.json", """{"model_type": "roberta"}""");
        Assert.Equal("roberta", Read().BaseModel);
    }
}
