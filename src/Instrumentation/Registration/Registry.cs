namespace Instrumentation;

/// <summary>
/// The registry: collectors are registered with it (after their descriptors are checked for consistency) and
/// <see cref="Gather()"/> collects all of them into sorted, validated metric families.
/// </summary>
/// <remarks>
/// Registration takes a lock; gathering reads an immutable snapshot of the registered collectors and takes none, so
/// scrapes never wait for each other or for registrations.
/// </remarks>
public sealed class Registry : IRegisterer, IGatherer
{
    private readonly object _lock = new();
    private readonly NameValidationScheme _scheme;
    private readonly WrapLevel? _constLabels;
    private readonly Dictionary<ulong, ICollector> _collectorsById = [];
    private readonly Dictionary<ulong, Desc> _descsById = [];
    private readonly Dictionary<string, ulong> _dimHashesByName = new(StringComparer.Ordinal);
    private readonly List<ICollector> _unchecked = [];
    private volatile Snapshot _snapshot = Snapshot.Empty;
    private readonly ExemplarProvider? _exemplars;

    /// <summary>Creates a registry with default options.</summary>
    public Registry()
        : this(null)
    {
    }

    /// <summary>Creates a registry.</summary>
    public Registry(RegistryOptions? options)
    {
        _scheme = options?.NameValidation ?? NameValidationScheme.Legacy;
        _exemplars = options?.Exemplars;
        if (options?.ConstLabels is { Count: > 0 } labels)
        {
            _constLabels = new WrapLevel(prefix: "", new Dictionary<string, string>(labels, StringComparer.Ordinal));
        }
        Register(new DroppedSeriesCollector(() => _snapshot.Checked)); // metrics_series_dropped_total
    }

    /// <summary>The name validation scheme this registry applies.</summary>
    public NameValidationScheme NameValidation => _scheme;

    /// <inheritdoc />
    public void Register(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        if (_exemplars is not null && collector is IExemplarDefaults exemplarDefaults)
        {
            exemplarDefaults.UseRegistryDefault(_exemplars);
        }
        if (_constLabels is not null)
        {
            collector = new WrappingCollector(collector, _constLabels);
        }

        // Describe outside the lock: it is user code.
        var descs = collector.Describe().ToList();

        lock (_lock)
        {
            var newDescIds = new HashSet<ulong>();
            var newDimHashesByName = new Dictionary<string, ulong>(StringComparer.Ordinal);
            ulong collectorId = 0;
            string? duplicateDesc = null;
            Desc? duplicateOf = null;

            foreach (var desc in descs)
            {
                if (desc.ErrorUnder(_scheme) is { } error)
                {
                    throw new InvalidMetricDescriptorException($"Descriptor of metric \"{desc.FqName}\" is invalid: {error}.", desc);
                }
                if (_descsById.ContainsKey(desc.Id))
                {
                    duplicateDesc ??= $"A descriptor of metric \"{desc.FqName}\" with the same const label values ({FormatConst(desc)}) is already registered by another collector.";
                    duplicateOf ??= desc;
                }
                if (newDescIds.Add(desc.Id))
                {
                    collectorId ^= desc.Id;
                }
                if (_dimHashesByName.TryGetValue(desc.FqName, out var dimHash) || newDimHashesByName.TryGetValue(desc.FqName, out dimHash))
                {
                    if (dimHash != desc.DimHash)
                    {
                        var existing = FindDescByName(desc.FqName, descs);
                        throw new InvalidMetricDescriptorException(
                            $"Metric \"{desc.FqName}\" is described with different help or label names: registered {existing}, new {desc}.", desc);
                    }
                }
                else
                {
                    newDimHashesByName[desc.FqName] = desc.DimHash;
                }
            }

            if (newDescIds.Count == 0)
            {
                if (_unchecked.Any(c => Same(c, collector)))
                {
                    throw new AlreadyRegisteredException(Unwrap(_unchecked.First(c => Same(c, collector))), Unwrap(collector), "this unchecked collector");
                }
                _unchecked.Add(collector);
                Publish();
                return;
            }
            if (_collectorsById.TryGetValue(collectorId, out var already))
            {
                throw new AlreadyRegisteredException(Unwrap(already), Unwrap(collector),
                    $"a collector describing {string.Join(", ", descs.Select(d => "\"" + d.FqName + "\"").Distinct())}");
            }
            if (duplicateDesc is not null)
            {
                throw new InvalidMetricDescriptorException(duplicateDesc, duplicateOf!);
            }

            _collectorsById[collectorId] = collector;
            foreach (var desc in descs)
            {
                _descsById[desc.Id] = desc;
            }
            foreach (var (name, hash) in newDimHashesByName)
            {
                _dimHashesByName[name] = hash;
            }
            Publish();
        }
    }

    /// <inheritdoc />
    public void MustRegister(params ICollector[] collectors)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        foreach (var collector in collectors)
        {
            Register(collector);
        }
    }

    /// <inheritdoc />
    public bool Unregister(ICollector collector)
    {
        ArgumentNullException.ThrowIfNull(collector);
        if (_constLabels is not null)
        {
            collector = new WrappingCollector(collector, _constLabels);
        }
        var descs = collector.Describe().ToList();
        lock (_lock)
        {
            if (descs.Count == 0)
            {
                var index = _unchecked.FindIndex(c => Same(c, collector));
                if (index < 0)
                {
                    return false;
                }
                _unchecked.RemoveAt(index);
                Publish();
                return true;
            }

            var ids = new HashSet<ulong>();
            ulong collectorId = 0;
            foreach (var desc in descs)
            {
                if (ids.Add(desc.Id))
                {
                    collectorId ^= desc.Id;
                }
            }
            if (!_collectorsById.Remove(collectorId))
            {
                return false;
            }
            foreach (var id in ids)
            {
                _descsById.Remove(id, out var removed);
                // Forget the name's dimensions only when no other registered desc still uses the name.
                if (removed is not null && !_descsById.Values.Any(d => d.FqName == removed.FqName))
                {
                    _dimHashesByName.Remove(removed.FqName);
                }
            }
            Publish();
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricFamily> Gather() => Gather(GatherBuffer.ForOneGather());

    /// <inheritdoc />
    public IReadOnlyList<MetricFamily> Gather(GatherBuffer buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var snapshot = _snapshot;
        buffer.Begin();
        try
        {
            var accumulator = new FamilyAccumulator(_scheme, buffer);
            foreach (var collector in snapshot.Checked)
            {
                CollectInto(accumulator, collector, snapshot.DescIds);
            }
            foreach (var collector in snapshot.Unchecked)
            {
                CollectInto(accumulator, collector, registeredDescIds: null);
            }
            return accumulator.Build();
        }
        finally
        {
            buffer.End();
        }
    }

    private static void CollectInto(FamilyAccumulator accumulator, ICollector collector, HashSet<ulong>? registeredDescIds)
    {
        // A wrapped collector's innermost metrics are added with their wrapped descriptors: no wrapper per metric.
        var wrapping = collector as WrappingCollector;
        try
        {
            var metrics = (wrapping?.Innermost ?? collector).Collect();
            if (wrapping is null && metrics is ISortedSeries { Distinct: true } sorted
                && (registeredDescIds is null || sorted.Sorted.IsEmpty || registeredDescIds.Contains(sorted.Sorted[0].Desc.Id)))
            {
                // A labelled family's children share one (registered) descriptor: checked once, not per series.
                accumulator.AddSorted(sorted);
            }
            else if (metrics is IReadOnlyList<IMetric> list)
            {
                // Families, single metrics and arrays are lists: indexing them saves an enumerator per collector.
                for (var i = 0; i < list.Count; i++)
                {
                    if (i + CachePrefetch.Distance < list.Count)
                    {
                        CachePrefetch.Object(list[i + CachePrefetch.Distance]);
                    }
                    Add(accumulator, list[i], wrapping, registeredDescIds);
                }
            }
            else
            {
                foreach (var metric in metrics)
                {
                    Add(accumulator, metric, wrapping, registeredDescIds);
                }
            }
        }
        catch (Exception ex)
        {
            accumulator.Errors.Add($"Collector {DescribeCollector(collector)} failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static void Add(FamilyAccumulator accumulator, IMetric metric, WrappingCollector? wrapping, HashSet<ulong>? registeredDescIds)
    {
        var desc = wrapping is null ? metric.Desc : wrapping.WrapDesc(metric.Desc);
        if (registeredDescIds is not null && !registeredDescIds.Contains(desc.Id))
        {
            accumulator.Errors.Add($"Collected metric \"{desc.FqName}\" with labels {FormatConst(desc)} has a descriptor its collector did not describe: {desc}.");
            return;
        }
        accumulator.Add(metric, desc, wrapping);
    }

    private void Publish()
    {
        _snapshot = new Snapshot([.. _collectorsById.Values], [.. _unchecked], [.. _descsById.Keys]);
    }

    private Desc? FindDescByName(string name, List<Desc> fallback) =>
        _descsById.Values.FirstOrDefault(d => d.FqName == name) ?? fallback.FirstOrDefault(d => d.FqName == name);

    private static bool Same(ICollector a, ICollector b) => ReferenceEquals(a, b) || a.Equals(b);

    private static ICollector Unwrap(ICollector collector) => collector is WrappingCollector w ? w.UnwrapAll() : collector;

    internal static string DescribeCollector(ICollector collector)
    {
        var inner = Unwrap(collector);
        var first = inner.Describe().FirstOrDefault();
        return first is null ? inner.GetType().Name : $"{inner.GetType().Name} (\"{first.FqName}\")";
    }

    private static string FormatConst(Desc desc) =>
        "{" + string.Join(",", desc.ConstLabels.Select(p => $"{p.Name}=\"{p.Value}\"")) + "}";

    private sealed record Snapshot(ICollector[] Checked, ICollector[] Unchecked, HashSet<ulong> DescIds)
    {
        public static readonly Snapshot Empty = new([], [], []);
    }
}
