using System.CommandLine;
using BioNer.Checkpoints;
using BioNer.Inference;
using BioNer.Server;
using Microsoft.Extensions.Hosting;

namespace BioNer.Cli.Commands;

/// <summary><c>bioner serve</c>: hosts the HTTP API and web page for a model (loopback only unless --host says otherwise).</summary>
internal static class ServeCommand
{
    private static readonly Option<string> Model = new("--model") { Description = "Model folder, hub id or built-in name", Required = true };
    private static readonly Option<int> Port = new("--port") { Description = "TCP port", DefaultValueFactory = _ => 8080 };
    private static readonly Option<string> Host = new("--host") { Description = "Address to bind (0.0.0.0 for all interfaces)", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> Batch = new("--batch-size") { Description = "Windows per forward pass", DefaultValueFactory = _ => 16 };
    private static readonly Option<string?> Decode = new("--decode") { Description = "Default word labels of POST /v1/ner: argmax | constrained (IOB2 Viterbi; a request's \"decode\" overrides it). POST / keeps HF's argmax; default: constrained for a CRF head, else argmax" };

    /// <summary>Creates the verb with its options.</summary>
    public static Command Create()
    {
        var cmd = new Command("serve", "Serve a model over HTTP: POST /v1/ner, POST / (HuggingFace Inference Endpoints token classification), GET /v1/model, GET /health, and a web page at /");
        foreach (var o in new Option[] { Model, Port, Host, Batch, Decode }) cmd.Options.Add(o);
        RuntimeOption.AddTo(cmd);
        cmd.SetAction(parse =>
        {
            var stderr = parse.InvocationConfiguration.Error;
            bool? constrained = parse.GetValue(Decode) is { } decode ? ConstrainedDecoding.ParseMode(decode) : null;
            string dir = ModelResolver.Resolve(parse.GetValue(Model)!, stderr.WriteLine);
            using var pipeline = new NerPipeline(RuntimeOption.CreateScorer(parse, dir, stderr.WriteLine, bf16ByDefault: true), new NerOptions { BatchSize = parse.GetValue(Batch) });
            var info = ModelInfo.Read(dir, pipeline.Labels, pipeline.EntityTypes, parse.GetValue(Model));
            var app = NerServer.Build(pipeline, info, new ServerOptions { Host = parse.GetValue(Host)!, Port = parse.GetValue(Port), Constrained = constrained });
            app.Start();
            parse.InvocationConfiguration.Output.WriteLine($"Serving {info.Name} at {NerServer.BoundAddress(app)} (Ctrl+C to stop)");
            app.WaitForShutdown();
            return 0;
        });
        return cmd;
    }
}
