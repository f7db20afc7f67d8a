using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Instrumentation.Tests.Push;

/// <summary>
/// A one-request-at-a-time HTTP/1.1 listener on a loopback port that records each request exactly as it arrived on
/// the wire (request line and headers), answering 200: what <see cref="FakeGateway"/> cannot show, since it sees the
/// <see cref="HttpRequestMessage"/> before the socket handler serialises it.
/// </summary>
internal sealed class LoopbackGateway : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<WireRequest> _requests = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public LoopbackGateway()
    {
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The gateway's base URL, <c>http://127.0.0.1:PORT</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>The requests received so far.</summary>
    public IReadOnlyList<WireRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var stream = client.GetStream();
            var head = await ReadHeadAsync(stream);
            var lines = head.Split("\r\n");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
            if (headers.TryGetValue("Content-Length", out var length))
            {
                var body = new byte[int.Parse(length, System.Globalization.CultureInfo.InvariantCulture)];
                await stream.ReadExactlyAsync(body, _stop.Token);
            }
            lock (_requests)
            {
                _requests.Add(new WireRequest(lines[0], headers));
            }
            await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"u8.ToArray(), _stop.Token);
        }
    }

    private async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                break;
            }
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString(head.ToArray());
    }
}

/// <summary>One request as it arrived: <c>PUT /metrics/job/... HTTP/1.1</c> and its headers.</summary>
internal sealed record WireRequest(string RequestLine, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The request target, exactly as sent.</summary>
    public string Target => RequestLine.Split(' ')[1];
}
