using System.Net;
using System.Net.Sockets;
using Instrumentation.Scraping;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// The standalone metrics server of <c>AddMetricsServer()</c>: an <see cref="HttpListener"/> (BCL only, no ASP.NET Core)
/// that serves <c>Metrics:Server:Path</c> through the same <see cref="ScrapeHandler"/> as <c>MapMetrics</c>, answers
/// other paths with <c>404</c>, and starts and stops with the host.
/// </summary>
internal sealed partial class MetricsServer(IOptions<MetricsOptions> options, IGatherer gatherer, IRegisterer registerer, ILogger<MetricsServer> logger)
    : IHostedService, IDisposable
{
    private static readonly byte[] NotFoundBody = "Not found. Metrics are served on the configured path (Metrics:Server:Path).\n"u8.ToArray();
    private readonly CancellationTokenSource _stopping = new();
    private HttpListener? _listener;
    private ScrapeHandler? _handler;
    private Task? _accepting;
    private string _path = "/metrics";
    private int _inFlight;
    private TaskCompletionSource? _drained;

    /// <summary>The address served, e.g. <c>http://+:9464/metrics</c> (for logs and tests).</summary>
    public string? Address { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var metrics = options.Value;
        var server = metrics.Server;
        _path = server.Path;
        _handler = new ScrapeHandler(gatherer, new ScrapeHandlerOptions
        {
            ErrorHandling = server.ErrorHandling,
            MaxConcurrentScrapes = server.MaxConcurrentScrapes,
            ScrapeTimeout = server.ScrapeTimeout,
            OpenMetricsCreatedSamples = metrics.OpenMetricsCreatedSamples,
        }, registerer, Log);

        var listener = new HttpListener { IgnoreWriteExceptions = true };
        listener.Prefixes.Add(server.Prefix);
        try
        {
            listener.Start();
        }
        catch (Exception ex) when (ex is HttpListenerException or SocketException or ObjectDisposedException)
        {
            listener.Close();
            throw new InvalidOperationException(
                $"The metrics server could not listen on {server.Address} (Metrics:Server:Host/Port): {ex.Message}. " +
                "Is another process using the port? Choose another with Metrics:Server:Port.", ex);
        }
        _listener = listener;
        Address = server.Address;
        LogListening(logger, server.Address);
        _accepting = Task.Run(AcceptAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_listener is null)
        {
            return;
        }
        lock (_stopping)
        {
            _drained = Volatile.Read(ref _inFlight) == 0 ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _accepting!.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (_drained is { } drained)
            {
                // Scrapes being answered finish (or are cut off when the host's shutdown timeout ends).
                await drained.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        _listener.Close();
    }

    public void Dispose()
    {
        _stopping.Cancel();
        ((IDisposable?)_listener)?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        var listener = _listener!;
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested || !listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException ex)
            {
                LogAcceptFailed(logger, ex);
                continue;
            }
            Interlocked.Increment(ref _inFlight);
            _ = ServeAsync(context);
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var request = context.Request;
            var url = request.Url;
            if (url is null || !IsMetricsPath(url.AbsolutePath))
            {
                response.StatusCode = 404;
                response.ContentType = "text/plain; charset=utf-8";
                response.ContentLength64 = NotFoundBody.Length;
                if (request.HttpMethod != "HEAD")
                {
                    await response.OutputStream.WriteAsync(NotFoundBody, _stopping.Token).ConfigureAwait(false);
                }
            }
            else
            {
                await _handler!.HandleAsync(
                    new ScrapeRequest(request.HttpMethod, request.Headers["Accept"], request.Headers["Accept-Encoding"], url.Query),
                    new ListenerScrapeResponse(response),
                    _stopping.Token).ConfigureAwait(false);
            }
            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The scraper went away or the server is stopping.
            response.Abort();
        }
        catch (Exception ex)
        {
            LogServeFailed(logger, ex);
            response.Abort();
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0)
            {
                lock (_stopping)
                {
                    _drained?.TrySetResult();
                }
            }
        }
    }

    private bool IsMetricsPath(string path) =>
        string.Equals(path, _path, StringComparison.Ordinal)
        || (path.Length == _path.Length + 1 && path.EndsWith('/') && path.StartsWith(_path, StringComparison.Ordinal));

    private void Log(ScrapeProblem problem)
    {
        if (problem.Kind is ScrapeProblemKind.GatherFailed or ScrapeProblemKind.EncodingFailed)
        {
            LogScrapeError(logger, problem.Message, problem.Exception);
        }
        else
        {
            LogScrapeWarning(logger, problem.Message, problem.Exception);
        }
    }

    /// <summary>The handler's view of an <see cref="HttpListenerResponse"/>.</summary>
    private sealed class ListenerScrapeResponse(HttpListenerResponse response) : IScrapeResponse
    {
        public int StatusCode
        {
            get => response.StatusCode;
            set => response.StatusCode = value;
        }

        public string? ContentType
        {
            get => response.ContentType;
            set => response.ContentType = value;
        }

        public long? ContentLength
        {
            get => response.ContentLength64;
            set => response.ContentLength64 = value ?? 0;
        }

        public void SetHeader(string name, string value) => response.Headers[name] = value;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
            response.OutputStream.WriteAsync(body, cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Information, "Serving metrics on {Address}.")]
    private static partial void LogListening(ILogger logger, string address);

    [LoggerMessage(2, LogLevel.Warning, "{Message}")]
    private static partial void LogScrapeWarning(ILogger logger, string message, Exception? exception);

    [LoggerMessage(3, LogLevel.Error, "{Message}")]
    private static partial void LogScrapeError(ILogger logger, string message, Exception? exception);

    [LoggerMessage(4, LogLevel.Warning, "The metrics server failed to accept a connection.")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(5, LogLevel.Error, "The metrics server failed to answer a request.")]
    private static partial void LogServeFailed(ILogger logger, Exception exception);
}
