using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using Instrumentation;
using Instrumentation.Exposition;

namespace Fixture;

/// <summary>
/// Serves the fixture's metrics on 127.0.0.1 so that a real Prometheus server can scrape them.
/// <c>/metrics</c> negotiates the format from the Accept header; <c>/metrics/text</c>, <c>/metrics/openmetrics</c> and
/// <c>/metrics/protobuf</c> always answer in that format (the server parses by the response's Content-Type, so each
/// can be its own scrape job — Prometheus 2.42 has no <c>scrape_protocols</c> setting to force one).
/// <c>/native</c> serves <see cref="NativeFixture"/>'s native histograms, always as protobuf.
/// <c>/served</c> lists what was served: path, Accept header, content type, gzip, count.
/// </summary>
internal sealed class MetricsServer(IGatherer gatherer, int port, IGatherer? native = null)
{
    private readonly ConcurrentDictionary<(string Path, string Accept, string ContentType, bool Gzip), int> _served = new();

    public async Task RunAsync()
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Console.WriteLine($"listening on http://127.0.0.1:{port}/");
        while (true)
        {
            var context = await listener.GetContextAsync();
            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath ?? "/";
            var accept = context.Request.Headers["Accept"];
            if (path == "/served")
            {
                Reply(response, "application/json", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(_served.Select(s => new Dictionary<string, object>
                {
                    ["path"] = s.Key.Path, ["accept"] = s.Key.Accept, ["content_type"] = s.Key.ContentType, ["gzip"] = s.Key.Gzip, ["count"] = s.Value,
                }))));
                return;
            }
            string? forced = path switch
            {
                "/metrics" => accept,
                "/metrics/text" => Formats.AcceptHeaders["text"],
                "/metrics/openmetrics" => Formats.AcceptHeaders["openmetrics"],
                "/metrics/protobuf" => Formats.AcceptHeaders["protobuf"],
                "/native" when native is not null => Formats.AcceptHeaders["protobuf"],
                _ => "not found",
            };
            if (forced == "not found")
            {
                response.StatusCode = 404;
                response.Close();
                return;
            }
            var format = ExpositionWriter.Negotiate(forced);
            var gzip = ExpositionWriter.AcceptsGzip(context.Request.Headers["Accept-Encoding"]);
            var body = new MemoryStream();
            using (Stream target = gzip ? new GZipStream(body, CompressionLevel.Fastest, leaveOpen: true) : body)
            {
                ExpositionWriter.Write(target, (path == "/native" ? native! : gatherer).Gather(), format);
            }
            if (gzip)
            {
                response.AddHeader("Content-Encoding", "gzip");
            }
            _served.AddOrUpdate((path, accept ?? "", format.ContentType, gzip), 1, (_, n) => n + 1);
            Reply(response, format.ContentType, body.ToArray());
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(e);
            response.StatusCode = 500;
            response.Close();
        }
    }

    private static void Reply(HttpListenerResponse response, string contentType, byte[] body)
    {
        response.ContentType = contentType;
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
        response.Close();
    }
}
