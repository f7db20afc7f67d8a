namespace Instrumentation;

internal sealed class WrappingRegisterer(IRegisterer inner, string prefix, IReadOnlyDictionary<string, string> labels) : IRegisterer
{
    private readonly WrapLevel _level = new(prefix, labels);

    public void Register(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        inner.Register(new WrappingCollector(collector, _level));
    }

    public void MustRegister(params ICollector[] collectors)
    {
        foreach (var collector in collectors)
        {
            Register(collector);
        }
    }

    public bool Unregister(ICollector collector) => inner.Unregister(new WrappingCollector(collector, _level));
}

/// <summary>
/// One level of wrapping: a name prefix and extra const labels. A registerer (or a registry's const labels) makes one
/// and hands it to every collector it wraps; wrapped descriptors and label sets are remembered per level.
/// </summary>
internal sealed class WrapLevel
{
    public WrapLevel(string prefix, IReadOnlyDictionary<string, string> labels)
    {
        Prefix = prefix;
        Labels = new Dictionary<string, string>(labels, StringComparer.Ordinal);
        LabelPairs = [.. Labels.Select(kv => new LabelPair(kv.Key, kv.Value))];
    }

    public string Prefix { get; }

    public Dictionary<string, string> Labels { get; }

    public LabelPair[] LabelPairs { get; }

    public bool SameAs(WrapLevel other) =>
        ReferenceEquals(this, other)
        || (other.Prefix == Prefix && other.Labels.Count == Labels.Count && other.Labels.All(kv => Labels.TryGetValue(kv.Key, out var v) && v == kv.Value));

    /// <summary>The descriptor <paramref name="desc"/> becomes at this level (remembered on <paramref name="desc"/>).</summary>
    public Desc Wrap(Desc desc)
    {
        if (WrapCacheEntry<Desc>.TryGet(desc.WrapCache, this, out var wrapped))
        {
            return wrapped;
        }
        var constLabels = desc.ConstLabels.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        string? error = null;
        foreach (var (name, value) in Labels)
        {
            if (!constLabels.TryAdd(name, value) || desc.VariableLabels.Contains(name))
            {
                error ??= $"label \"{name}\" added by wrapping already exists on metric \"{desc.FqName}\"";
            }
        }
        // A conflict an inner wrapper found is carried outward (the inner desc's other problems are checked again on
        // the new desc's input), so nesting never hides one from Register.
        wrapped = new Desc(Prefix + desc.FqName, desc.Help, desc.VariableLabels, constLabels, desc.Unit, error ?? desc.CarriedError);
        WrapCacheEntry<Desc>.Store(ref desc.WrapCache, this, wrapped);
        return wrapped;
    }

    /// <summary>The label set <paramref name="labels"/> becomes at this level (remembered on <paramref name="labels"/>).</summary>
    public LabelSet Wrap(LabelSet labels)
    {
        if (LabelPairs.Length == 0)
        {
            return labels;
        }
        if (WrapCacheEntry<LabelSet>.TryGet(labels.WrapCache, this, out var wrapped))
        {
            return wrapped;
        }
        wrapped = labels.With(LabelPairs);
        WrapCacheEntry<LabelSet>.Store(ref labels.WrapCache, this, wrapped);
        return wrapped;
    }
}

/// <summary>
/// What an object (a <see cref="Desc"/> or a <see cref="LabelSet"/>) becomes under a wrap level, kept in a field of
/// that object: the entry lives exactly as long as the object, so what a collector builds inside one scrape is
/// collected with it, and a long-lived series is wrapped once. A short list, as an object is rarely wrapped by more
/// than one level; a full list of <see cref="MaxEntries"/> levels is replaced by the newest.
/// </summary>
internal sealed class WrapCacheEntry<T>
    where T : class
{
    private const int MaxEntries = 4;

    private readonly WrapLevel _level;
    private readonly T _wrapped;
    private readonly WrapCacheEntry<T>? _next;
    private readonly int _depth;

    private WrapCacheEntry(WrapLevel level, T wrapped, WrapCacheEntry<T>? next)
    {
        _level = level;
        _wrapped = wrapped;
        _next = next;
        _depth = next is null ? 1 : next._depth + 1;
    }

    public static bool TryGet(WrapCacheEntry<T>? head, WrapLevel level, out T wrapped)
    {
        for (var entry = head; entry is not null; entry = entry._next)
        {
            if (ReferenceEquals(entry._level, level))
            {
                wrapped = entry._wrapped;
                return true;
            }
        }
        wrapped = null!;
        return false;
    }

    public static void Store(ref WrapCacheEntry<T>? slot, WrapLevel level, T wrapped)
    {
        var head = Volatile.Read(ref slot);
        // A full list starts again with this level, so levels that are gone (a registerer dropped after Unregister)
        // cannot keep a live one out. A concurrent store may win: then this one is simply not remembered.
        var next = head is null || head._depth >= MaxEntries ? null : head;
        Interlocked.CompareExchange(ref slot, new WrapCacheEntry<T>(level, wrapped, next), head);
    }
}

/// <summary>A collector seen through one or more wrap levels (name prefixes and extra const labels).</summary>
/// <remarks>
/// Nested wrappers are flattened: the innermost collector is collected directly and its descriptors and label sets are
/// wrapped level by level. The registry adds the innermost metrics with their wrapped descriptors (see
/// <see cref="WrapDesc"/>, <see cref="WrapLabels"/>), so a wrapped scrape builds no wrapper object per series and
/// keeps no table of what it wrapped: each wrapped desc or label set hangs off the object it wraps.
/// </remarks>
internal sealed class WrappingCollector : ICollector, IExemplarDefaults
{
    private readonly ICollector _inner;
    private readonly WrapLevel _level;
    private readonly ICollector _innermost;
    private readonly WrapLevel[] _levels;

    public WrappingCollector(ICollector inner, WrapLevel level)
    {
        _inner = inner;
        _level = level;
        if (inner is WrappingCollector wrapping)
        {
            _innermost = wrapping._innermost;
            _levels = [.. wrapping._levels, level];
        }
        else
        {
            _innermost = inner;
            _levels = [level];
        }
    }

    public ICollector UnwrapAll() => _innermost;

    /// <summary>A registry's exemplar default reaches the metric inside the wrapping.</summary>
    void IExemplarDefaults.UseRegistryDefault(ExemplarProvider provider) => (_innermost as IExemplarDefaults)?.UseRegistryDefault(provider);

    /// <summary>The collector all the wrapping is around.</summary>
    public ICollector Innermost => _innermost;

    public IEnumerable<Desc> Describe() => _innermost.Describe().Select(WrapDesc);

    /// <summary>Wraps the innermost collector's metrics one by one (a wrapper object each); the registry does not use this.</summary>
    public IEnumerable<IMetric> Collect()
    {
        foreach (var metric in _innermost.Collect())
        {
            yield return new WrappedMetric(metric, WrapDesc(metric.Desc), this);
        }
    }

    /// <summary>The descriptor an innermost metric's <paramref name="desc"/> becomes through every level.</summary>
    public Desc WrapDesc(Desc desc)
    {
        foreach (var level in _levels)
        {
            desc = level.Wrap(desc);
        }
        return desc;
    }

    /// <summary>The label set an innermost metric's <paramref name="labels"/> become through every level.</summary>
    public LabelSet WrapLabels(LabelSet labels)
    {
        foreach (var level in _levels)
        {
            labels = level.Wrap(labels);
        }
        return labels;
    }

    public override bool Equals(object? obj) =>
        obj is WrappingCollector other && other._inner.Equals(_inner) && other._level.SameAs(_level);

    public override int GetHashCode() => HashCode.Combine(_inner, _level.Prefix, _level.Labels.Count);

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
