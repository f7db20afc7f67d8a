using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Instrumentation;

internal sealed class WrappingRegisterer(IRegisterer inner, string prefix, IReadOnlyDictionary<string, string> labels) : IRegisterer
{
    private readonly Dictionary<string, string> _labels = new(labels, StringComparer.Ordinal);

    public void Register(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        inner.Register(new WrappingCollector(collector, prefix, _labels));
    }

    public void MustRegister(params ICollector[] collectors)
    {
        foreach (var collector in collectors)
        {
            Register(collector);
        }
    }

    public bool Unregister(ICollector collector) => inner.Unregister(new WrappingCollector(collector, prefix, _labels));
}

/// <summary>A collector seen through a name prefix and extra const labels.</summary>
internal sealed class WrappingCollector : ICollector
{
    private readonly ICollector _inner;
    private readonly string _prefix;
    private readonly Dictionary<string, string> _labels;
    private readonly LabelPair[] _labelPairs;
    private readonly ConcurrentDictionary<Desc, Desc> _wrappedDescs = new(ReferenceEqualityComparer.Instance);

    // Live metrics and their label sets are the same objects scrape after scrape: remembering their wrapped
    // counterparts keeps a wrapped scrape from allocating per series. Weak keys let removed series go.
    private readonly ConditionalWeakTable<IMetric, WrappedMetric> _wrappedMetrics = [];
    private readonly ConditionalWeakTable<LabelSet, LabelSet> _wrappedLabels = [];

    public WrappingCollector(ICollector inner, string prefix, Dictionary<string, string> labels)
    {
        _inner = inner;
        _prefix = prefix;
        _labels = labels;
        _labelPairs = [.. labels.Select(kv => new LabelPair(kv.Key, kv.Value))];
    }

    public ICollector UnwrapAll() => _inner is WrappingCollector w ? w.UnwrapAll() : _inner;

    public IEnumerable<Desc> Describe() => _inner.Describe().Select(WrapDesc);

    public IEnumerable<IMetric> Collect()
    {
        foreach (var metric in _inner.Collect())
        {
            if (!_wrappedMetrics.TryGetValue(metric, out var wrapped))
            {
                wrapped = new WrappedMetric(metric, WrapDesc(metric.Desc), this);
                _wrappedMetrics.AddOrUpdate(metric, wrapped);
            }
            yield return wrapped;
        }
    }

    private LabelSet WrapLabels(LabelSet labels)
    {
        if (_labelPairs.Length == 0)
        {
            return labels;
        }
        if (!_wrappedLabels.TryGetValue(labels, out var wrapped))
        {
            wrapped = labels.With(_labelPairs);
            _wrappedLabels.AddOrUpdate(labels, wrapped);
        }
        return wrapped;
    }

    private Desc WrapDesc(Desc desc) => _wrappedDescs.GetOrAdd(desc, d =>
    {
        var constLabels = d.ConstLabels.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        string? error = null;
        foreach (var (name, value) in _labels)
        {
            if (!constLabels.TryAdd(name, value) || d.VariableLabels.Contains(name))
            {
                error ??= $"label \"{name}\" added by wrapping already exists on metric \"{d.FqName}\"";
            }
        }
        return new Desc(_prefix + d.FqName, d.Help, d.VariableLabels, constLabels, d.Unit, error);
    });

    public override bool Equals(object? obj) =>
        obj is WrappingCollector other
        && other._inner.Equals(_inner)
        && other._prefix == _prefix
        && other._labels.Count == _labels.Count
        && other._labels.All(kv => _labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => HashCode.Combine(_inner, _prefix, _labels.Count);

    private sealed class WrappedMetric(IMetric inner, Desc desc, WrappingCollector owner) : IMetric
    {
        public Desc Desc => desc;

        public MetricType Type => inner.Type;

        public void Write(MetricPoint point)
        {
            inner.Write(point);
            point.Labels = owner.WrapLabels(point.Labels);
        }
    }
}
