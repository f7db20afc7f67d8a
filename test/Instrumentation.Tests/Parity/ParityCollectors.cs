namespace Instrumentation.Tests.Parity;

/// <summary>A collector that hands out fixed metrics and describes their descriptors (checked) or nothing (unchecked).</summary>
internal sealed class FixedCollector(IReadOnlyList<Desc> descs, Func<IEnumerable<IMetric>> collect) : ICollector
{
    public IEnumerable<Desc> Describe() => descs;

    public IEnumerable<IMetric> Collect() => collect();
}

/// <summary>
/// The usual dynamic custom collector: it builds its descriptor and a const metric inside every Collect, and
/// describes nothing (unchecked).
/// </summary>
internal sealed class DescriptorPerCollectCollector : ICollector
{
    private int _calls;

    public IEnumerable<Desc> Describe() => [];

    public IEnumerable<IMetric> Collect()
    {
        var desc = new Desc("dynamic_queue_length", "Items waiting.", ["queue"], null);
        return [ConstMetric.Gauge(desc, ++_calls, "orders")];
    }
}

/// <summary>A metric of any type that writes a fixed sum, count and one bucket (for types without a const factory).</summary>
internal sealed class TypedMetric(Desc desc, MetricType type) : IMetric
{
    public Desc Desc => desc;

    public MetricType Type => type;

    public void Write(MetricPoint point)
    {
        point.Labels = LabelSet.Empty;
        point.Count = 1;
        point.Sum = 1;
        point.Buckets = [new Bucket(1, 1)];
        point.Value = 1;
    }
}
