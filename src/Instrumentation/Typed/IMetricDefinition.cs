namespace Instrumentation;

/// <summary>
/// What every typed metric definition declares: a class (never instantiated) whose static members name and describe
/// one metric, so the metric can be injected by type — <c>ICounter&lt;OrdersPlaced&gt;</c> — and declared once.
/// </summary>
/// <remarks>
/// The members are static abstract (or static virtual with a default) and are read through the generic parameter,
/// never by reflection, so typed metrics are safe under trimming and native AOT.
/// </remarks>
public interface IMetricDefinition
{
    /// <summary>The metric name. A namespace configured for the factory is prepended to it.</summary>
    static abstract string Name { get; }

    /// <summary>The help text; must not be empty.</summary>
    static abstract string Help { get; }

    /// <summary>Names of the variable labels, in the order <c>WithLabels</c> takes their values. Default: none.</summary>
    static virtual IReadOnlyList<string> LabelNames => [];

    /// <summary>The OpenMetrics unit (the name must end with it), or null. Default: none.</summary>
    static virtual string? Unit => null;

    /// <summary>
    /// For a definition with labels: the most series it keeps (see <see cref="MetricOptions.MaxSeries"/>); further label
    /// values share one <c>__overflow__</c> series. Default: no limit.
    /// </summary>
    static virtual int? MaxSeries => null;

    /// <summary>
    /// For a definition with labels: how long a series may go without an update before it is dropped (see
    /// <see cref="MetricOptions.ExpireAfter"/>). Default: never.
    /// </summary>
    static virtual TimeSpan? ExpireAfter => null;
}
