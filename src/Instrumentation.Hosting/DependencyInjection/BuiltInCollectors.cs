using Instrumentation.Collectors;

namespace Instrumentation.Hosting;

/// <summary>Creates the built-in collectors chosen by <see cref="MetricsCollectorsOptions"/>.</summary>
internal static class BuiltInCollectors
{
    public static IEnumerable<ICollector> Create(MetricsCollectorsOptions options)
    {
        if (options.Process)
        {
            yield return new ProcessCollector();
        }
        if (options.Runtime)
        {
            yield return new RuntimeCollector();
            // Build info belongs with the runtime's view of the process: which runtime and app version is running.
            yield return new BuildInfoCollector();
        }
        if (options.Meters.Count > 0)
        {
            yield return new MeterCollector(new MeterCollectorOptions
            {
                Meters = [.. options.Meters],
                MaxSeriesPerInstrument = options.MeterMaxSeries,
            });
        }
    }
}
