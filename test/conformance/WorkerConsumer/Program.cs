using Instrumentation;
using Microsoft.Extensions.Hosting;

// A worker as a user would write it from the packages: the registry, a typed counter ticking in a background
// service, and the standalone metrics server (Metrics:Server:Host/Port from the environment).
var builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMetricsRegistry().AddMetricsServer();
builder.Services.AddHostedService<Ticker>();
builder.Build().Run();

internal sealed class Ticks : ICounterDefinition
{
    public static string Name => "worker_consumer_ticks_total";

    public static string Help => "Ticks of the packaged worker.";
}

internal sealed class Ticker(ICounter<Ticks> ticks) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            ticks.Inc();
            await Task.Delay(200, stoppingToken);
        }
    }
}
