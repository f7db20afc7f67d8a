using Instrumentation;
using Instrumentation.Push;
using Microsoft.Extensions.Options;

namespace SentryCa.Hosting;

/// <summary>
/// The hosted-service adapter around the core library's <see cref="MetricPusher"/> (the core stays free of hosting
/// dependencies): pushes the registry to <c>Sentry:Push:Url</c> every <c>IntervalSeconds</c>, once more on stop, and
/// deletes the group on stop if asked.
/// </summary>
public sealed class PushGatewayService(IGatherer gatherer, IOptions<PushOptions> options, ILogger<PushGatewayService> logger)
    : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.Url))
        {
            return;
        }
        var grouping = new GroupingKey(settings.Job, new Dictionary<string, string> { ["instance"] = settings.Instance ?? Environment.MachineName });
        using var client = new PushGatewayClient(new Uri(settings.Url), grouping);
        var pusher = new MetricPusher(client, gatherer, TimeSpan.FromSeconds(settings.IntervalSeconds)) { PushOnStop = !settings.DeleteOnStop };
        pusher.PushFailed += e => logger.LogWarning("Push to {Url} failed: {Error}", client.Url, e.Message);
        logger.LogInformation("Pushing metrics to {Url} every {Interval} s", client.Url, settings.IntervalSeconds);

        await pusher.RunAsync(stoppingToken);
        if (settings.DeleteOnStop)
        {
            try
            {
                await client.DeleteAsync(CancellationToken.None);
            }
            catch (Exception e) when (e is PushGatewayException or HttpRequestException or TimeoutException)
            {
                logger.LogWarning("Deleting {Url} failed: {Error}", client.Url, e.Message);
            }
        }
    }
}
