namespace Instrumentation.Scraping;

/// <summary>
/// Where a <see cref="ScrapeHandler"/> writes its answer: status, headers, then the body in one piece. A host adapter
/// forwards these to its own response type. The handler sets everything before it writes the body, and writes the
/// body at most once (never for <c>HEAD</c>).
/// </summary>
public interface IScrapeResponse
{
    /// <summary>The HTTP status code.</summary>
    int StatusCode { get; set; }

    /// <summary>The <c>Content-Type</c> header.</summary>
    string? ContentType { get; set; }

    /// <summary>The <c>Content-Length</c> header: the body's length, also for <c>HEAD</c>, whose body is not written.</summary>
    long? ContentLength { get; set; }

    /// <summary>Sets any other header (<c>Content-Encoding</c>, <c>Vary</c>, <c>Allow</c>, <c>Process-Start-Time-Unix</c>).</summary>
    void SetHeader(string name, string value);

    /// <summary>Writes the body. <paramref name="body"/> is valid only until the returned task completes.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
