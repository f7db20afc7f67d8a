using System.Diagnostics;
using Instrumentation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Worker;

/// <summary>Does a batch of simulated jobs every <c>Worker:IntervalMilliseconds</c> and records them with typed metrics.</summary>
public sealed class JobWorker(ICounter<JobsProcessed> processed, IGauge<QueueDepth> depth, IHistogram<JobDuration> duration, IConfiguration configuration)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(configuration.GetValue("Worker:IntervalMilliseconds", 1000));
        var succeeded = processed.WithLabels("succeeded");
        var failed = processed.WithLabels("failed");
        using var timer = new PeriodicTimer(interval);
        do
        {
            var queued = Random.Shared.Next(1, 8);
            depth.Set(queued);
            for (var i = 0; i < queued; i++)
            {
                var started = Stopwatch.GetTimestamp();
                var ok = DoJob();
                duration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                (ok ? succeeded : failed).Inc();
                depth.Dec();
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    private static bool DoJob()
    {
        // Stands for real work: a little CPU, and one job in ten fails.
        var sum = 0L;
        for (var i = 0; i < Random.Shared.Next(1_000, 50_000); i++)
        {
            sum += i % 7;
        }
        return sum >= 0 && Random.Shared.Next(10) != 0;
    }
}
