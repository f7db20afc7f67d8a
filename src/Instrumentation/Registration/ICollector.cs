namespace Instrumentation;

/// <summary>
/// Anything that produces metrics for a registry: a single metric, a labelled family, or a custom collector that
/// reads some other system at scrape time.
/// </summary>
public interface ICollector
{
    /// <summary>
    /// Yields the descriptor of every metric this collector may ever produce, each at least once; the registry uses
    /// them at registration to reject conflicts before any scrape can see them. A collector that yields nothing is
    /// <em>unchecked</em>: it is registered without those checks, and its metrics are only validated at gather time.
    /// May be called concurrently with <see cref="Collect"/> and with itself; must not depend on the metrics' values.
    /// </summary>
    IEnumerable<Desc> Describe();

    /// <summary>
    /// Yields the current metrics. Called by every scrape, possibly concurrently; implementations must be thread-safe
    /// and should be quick. An exception thrown here becomes one of the gather's reported problems: the other
    /// collectors are still gathered.
    /// </summary>
    IEnumerable<IMetric> Collect();
}
