using Instrumentation.Push;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Instrumentation.Hosting;

/// <summary>
/// The hosted service behind <c>AddMetricsPusher()</c>: a <see cref="MetricPusher"/> around a
/// <see cref="PushGatewayClient"/> for the registry. Pushes when the host starts, every
/// <see cref="MetricsPushOptions.IntervalSeconds"/>, and once more when it stops — or deletes the group then, with
/// <see cref="MetricsPushOptions.DeleteOnStop"/>. A failed push is logged and retried at the next tick; it never stops
/// the host.
/// </summary>
internal sealed class MetricsPushService(
    IGatherer gatherer,
    IOptions<MetricsOptions> options,
    ILogger<MetricsPushService> logger,
    IHostEnvironment? environment = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Push;
        if (string.IsNullOrWhiteSpace(settings.Url))
        {
            logger.LogInformation("Metrics:Push:Url is empty: not pushing metrics.");
            return;
        }
        // Validated at start-up (MetricsPushOptionsValidator): the URL, interval, job and labels are usable.
        var grouping = new GroupingKey(MetricsPushOptionsValidator.JobOf(settings, environment)!, settings.GroupingLabels);
        using var client = new PushGatewayClient(new Uri(settings.Url), grouping) { Format = settings.Format };
        var target = MetricsPushOptionsValidator.Redact(client.Url);
        var pusher = new MetricPusher(client, gatherer, TimeSpan.FromSeconds(settings.IntervalSeconds), settings.Method)
        {
            PushOnStop = !settings.DeleteOnStop,
        };
        pusher.PushFailed += e => logger.LogWarning("Pushing metrics to {Url} failed: {Error}", target, e.Message);
        logger.LogInformation("Pushing metrics to {Url} every {Interval} s.", target, settings.IntervalSeconds);

        await pusher.RunAsync(stoppingToken).ConfigureAwait(false);
        if (settings.DeleteOnStop)
        {
            try
            {
                await client.DeleteAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is PushGatewayException or HttpRequestException or TimeoutException or TaskCanceledException)
            {
                logger.LogWarning("Deleting the metrics group at {Url} failed: {Error}", target, e.Message);
            }
        }
    }
}
