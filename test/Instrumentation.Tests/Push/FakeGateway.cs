using System.Net;

namespace Instrumentation.Tests.Push;

/// <summary>
/// An in-process stand-in for a Pushgateway: records every request (method, URL, content type, body) and answers
/// with whatever <see cref="Respond"/> says (200 by default).
/// </summary>
internal sealed class FakeGateway : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];
    private TaskCompletionSource _nextRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Respond { get; set; } =
        (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Waits (at most 10 s, so a broken test fails instead of hanging) until at least <paramref name="count"/> requests arrived.</summary>
    public async Task WaitForRequestsAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            Task next;
            lock (_requests)
            {
                if (_requests.Count >= count)
                {
                    return;
                }
                next = _nextRequest.Task;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Expected {count} requests, got {Requests.Count}.");
            }
            await Task.WhenAny(next, Task.Delay(left));
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bytes = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var body = bytes is null ? null : System.Text.Encoding.UTF8.GetString(bytes);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), body)
        {
            BodyBytes = bytes,
            Authorization = request.Headers.Authorization?.ToString(),
        };
        TaskCompletionSource signal;
        lock (_requests)
        {
            _requests.Add(recorded);
            signal = _nextRequest;
            _nextRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
        return await Respond(request, cancellationToken);
    }
}

internal sealed record RecordedRequest(string Method, Uri Url, string? ContentType, string? Body)
{
    /// <summary>The body as sent (a protobuf body is not text).</summary>
    public byte[]? BodyBytes { get; init; }

    /// <summary>The request's Authorization header, as sent.</summary>
    public string? Authorization { get; init; }
}
