namespace Instrumentation.Collectors;

/// <summary>
/// One value read at scrape time by a built-in collector: a single allocation per sample, its label set prepared in
/// advance (unlike <see cref="ConstMetric"/>, which validates and builds labels on every call).
/// </summary>
internal sealed class Sample(Desc desc, MetricType type, LabelSet labels, double value) : IMetric
{
    public Desc Desc => desc;

    public MetricType Type => type;

    public void Write(MetricPoint point)
    {
        point.Labels = labels;
        point.Value = value;
    }

    public static Sample Counter(Desc desc, double value) => new(desc, MetricType.Counter, LabelSet.Empty, value);

    public static Sample Gauge(Desc desc, double value) => new(desc, MetricType.Gauge, LabelSet.Empty, value);
}
