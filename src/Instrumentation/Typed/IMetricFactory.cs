namespace Instrumentation;

/// <summary>
/// Creates metrics and registers them, or returns the one already created under the same name. Metrics are created
/// by options at run time (<see cref="CreateCounter"/>, <see cref="CreateCounterVec"/>, ...) or from a typed
/// definition (<see cref="GetCounter{TDefinition}"/>, ...).
/// </summary>
/// <remarks>
/// Asking again for a name with the same shape (kind, help, unit, label names, const labels, buckets, objectives and window) returns the
/// same instance; asking for it with a different shape throws an <see cref="ArgumentException"/> that describes both.
/// A factory may put a namespace in front of every name it creates.
/// </remarks>
public interface IMetricFactory
{
    /// <summary>The namespace prepended (with <c>_</c>) to every name this factory creates, or null.</summary>
    string? Namespace { get; }

    /// <summary>Creates (or returns the existing) counter without variable labels.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    Counter CreateCounter(CounterOptions options);

    /// <summary>Creates (or returns the existing) labelled counter family.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    CounterVec CreateCounterVec(CounterOptions options, IReadOnlyList<string> labelNames);

    /// <summary>Creates (or returns the existing) gauge without variable labels.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    Gauge CreateGauge(GaugeOptions options);

    /// <summary>Creates (or returns the existing) labelled gauge family.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    GaugeVec CreateGaugeVec(GaugeOptions options, IReadOnlyList<string> labelNames);

    /// <summary>Creates (or returns the existing) histogram without variable labels.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    Histogram CreateHistogram(HistogramOptions options);

    /// <summary>Creates (or returns the existing) labelled histogram family.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    HistogramVec CreateHistogramVec(HistogramOptions options, IReadOnlyList<string> labelNames);

    /// <summary>Creates (or returns the existing) summary without variable labels.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    Summary CreateSummary(SummaryOptions options);

    /// <summary>Creates (or returns the existing) labelled summary family.</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the name exists with another shape.</exception>
    SummaryVec CreateSummaryVec(SummaryOptions options, IReadOnlyList<string> labelNames);

    /// <summary>Returns the counter declared by <typeparamref name="TDefinition"/>, creating and registering it on first use.</summary>
    /// <exception cref="InvalidOperationException">The definition is invalid or conflicts with an existing metric; the message names the definition type.</exception>
    ICounter<TDefinition> GetCounter<TDefinition>() where TDefinition : ICounterDefinition;

    /// <summary>Returns the gauge declared by <typeparamref name="TDefinition"/>, creating and registering it on first use.</summary>
    /// <exception cref="InvalidOperationException">The definition is invalid or conflicts with an existing metric; the message names the definition type.</exception>
    IGauge<TDefinition> GetGauge<TDefinition>() where TDefinition : IGaugeDefinition;

    /// <summary>Returns the histogram declared by <typeparamref name="TDefinition"/>, creating and registering it on first use.</summary>
    /// <exception cref="InvalidOperationException">The definition is invalid or conflicts with an existing metric; the message names the definition type.</exception>
    IHistogram<TDefinition> GetHistogram<TDefinition>() where TDefinition : IHistogramDefinition;

    /// <summary>Returns the summary declared by <typeparamref name="TDefinition"/>, creating and registering it on first use.</summary>
    /// <exception cref="InvalidOperationException">The definition is invalid or conflicts with an existing metric; the message names the definition type.</exception>
    ISummary<TDefinition> GetSummary<TDefinition>() where TDefinition : ISummaryDefinition;
}
