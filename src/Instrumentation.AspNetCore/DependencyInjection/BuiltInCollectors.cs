namespace Instrumentation.AspNetCore;

/// <summary>Creates the built-in collectors chosen by <see cref="MetricsCollectorsOptions"/>.</summary>
internal static class BuiltInCollectors
{
    public static IEnumerable<ICollector> Create(MetricsCollectorsOptions options)
    {
        // The process, runtime and meter collectors are wired here once they are part of the core library.
        _ = options;
        return [];
    }
}
