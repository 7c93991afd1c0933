using System.Net;
using System.Text;
using System.Text.Json;
using BioNer.Inference;
using BioNer.Server;
using BioNer.Tests.Inference;
using Microsoft.AspNetCore.Builder;

namespace BioNer.Tests.Server;

/// <summary>A real Kestrel server on 127.0.0.1, port 0, over the deterministic dictionary scorer, with small limits.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public static readonly Dictionary<string, string> Lexicon = new()
    {
        ["aspirin"] = "B-Chemical", ["BRCA1"] = "B-Gene", ["acetylsalicylic"] = "B-Chemical", ["acid"] = "I-Chemical", ["🧬"] = "B-Emoji",
    };

    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public NerPipeline Pipeline { get; } = new(new DictionaryScorer(Lexicon), new NerOptions { MaxSubTokens = 64 });
    public string ModelDir { get; } = Directory.CreateTempSubdirectory("bioner-server-").FullName;

    /// <summary>POSTs <paramref name="json"/> to <paramref name="path"/>; the status and the JSON body (always JSON, errors too).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string path, string json)
    {
        using var response = await Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask InitializeAsync()
    {
        File.WriteAllText(Path.Combine(ModelDir, "config.json"), """{"model_type": "roberta", "_name_or_path": "roberta-base"}""");
        File.WriteAllText(Path.Combine(ModelDir, "metrics.json"), """{"eval_f1": 0.8765, "eval_precision": 0.85}""");
        var info = ModelInfo.Read(ModelDir, Pipeline.Labels, Pipeline.EntityTypes, "dictionary");
        App = NerServer.Build(Pipeline, info, new ServerOptions { Port = 0, MaxBodyBytes = 4096, MaxTextChars = 1000, MaxTextsPerRequest = 8 });
        await App.StartAsync();
        Client = new HttpClient { BaseAddress = NerServer.BoundAddress(App) };
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Directory.Delete(ModelDir, recursive: true);
    }
}
