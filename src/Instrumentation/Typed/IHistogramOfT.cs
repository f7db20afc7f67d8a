namespace Instrumentation;

/// <summary>
/// The histogram declared by <typeparamref name="TDefinition"/>, shared by everyone who asks for it. When the
/// definition declares labels, pick the series with <see cref="WithLabels"/>; otherwise observe directly.
/// </summary>
/// <typeparam name="TDefinition">The definition type.</typeparam>
public interface IHistogram<TDefinition> : IExemplarObserver
    where TDefinition : IHistogramDefinition
{
    /// <summary>Returns the series for <paramref name="values"/>, creating it on first use (see <see cref="ICounter{TDefinition}.WithLabels"/>).</summary>
    /// <remarks>Time a block on a labelled series with <c>using (new MetricTimer(histogram.WithLabels("a"))) { ... }</c>.</remarks>
    /// <exception cref="ArgumentException">The number of values does not match the declared labels.</exception>
    IExemplarObserver WithLabels(params ReadOnlySpan<string> values);

    /// <summary>Starts a timer that observes the elapsed seconds when disposed (unlabelled definitions only).</summary>
    MetricTimer StartTimer();
}
