namespace Instrumentation;

/// <summary>Gathers the current metrics of every registered collector into the data model formatters read.</summary>
public interface IGatherer
{
    /// <summary>
    /// Collects all metrics and returns their families sorted by name, each family's series sorted by label values.
    /// Every problem found (a throwing collector, duplicate series, inconsistent help or labels, an undescribed metric
    /// of a checked collector) is collected; if there is any, a <see cref="GatherException"/> is thrown that lists all
    /// of them and still carries the families that gathered cleanly.
    /// </summary>
    /// <exception cref="GatherException">At least one problem was found.</exception>
    IReadOnlyList<MetricFamily> Gather();

    /// <summary>
    /// Gathers like <see cref="Gather()"/>, reusing <paramref name="buffer"/>'s storage from its previous use; what it
    /// returns is valid until <paramref name="buffer"/> is used again. Gatherers that cannot reuse storage fall back to
    /// <see cref="Gather()"/>.
    /// </summary>
    /// <exception cref="GatherException">At least one problem was found.</exception>
    IReadOnlyList<MetricFamily> Gather(GatherBuffer buffer) => Gather();
}
