using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Instrumentation;

/// <summary>
/// A labelled family of metrics: one child per combination of label values, created on first use.
/// <see cref="CounterVec"/>, <see cref="GaugeVec"/>, <see cref="HistogramVec"/> and <see cref="SummaryVec"/> are its
/// concrete kinds.
/// </summary>
/// <remarks>
/// Children live in a concurrent dictionary keyed by their label values, looked up through an alternate comparer that
/// hashes the caller's span of values directly: finding an existing child builds no key and takes no lock.
/// A curried view (<c>CurryWith</c>) shares the children of the family it came from.
/// </remarks>
/// <typeparam name="TChild">The child metric type.</typeparam>
public abstract class MetricVec<TChild> : ICollector
    where TChild : class, IMetric
{
    /// <summary>The label value every label of the overflow series has once <see cref="MetricOptions.MaxSeries"/> is reached.</summary>
    public const string OverflowLabelValue = "__overflow__";

    private readonly Store _store;
    private readonly Curry[] _curry;

    private protected MetricVec(Desc desc, int? maxSeries, Func<LabelSet, TChild> createChild)
    {
        if (maxSeries is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSeries), maxSeries, $"MaxSeries of metric \"{desc.FqName}\" must be at least 1.");
        }
        _store = new Store(desc, maxSeries, createChild);
        _curry = [];
    }

    private protected MetricVec(MetricVec<TChild> parent, IReadOnlyDictionary<string, string> curryLabels)
    {
        _store = parent._store;
        var desc = _store.Desc;
        var curry = new List<Curry>(parent._curry);
        foreach (var (name, value) in curryLabels)
        {
            var index = IndexOf(desc.VariableLabels, name);
            if (index < 0)
            {
                throw new ArgumentException($"Cannot curry metric \"{desc.FqName}\" with label \"{name}\": it has no such variable label (labels: {string.Join(", ", desc.VariableLabels)}).", nameof(curryLabels));
            }
            if (curry.Exists(c => c.Index == index))
            {
                throw new ArgumentException($"Label \"{name}\" of metric \"{desc.FqName}\" is already curried.", nameof(curryLabels));
            }
            ArgumentNullException.ThrowIfNull(value, name);
            curry.Add(new Curry(index, value));
        }
        curry.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        _curry = [.. curry];
    }

    /// <summary>The descriptor shared by every child.</summary>
    public Desc Desc => _store.Desc;

    /// <summary>Number of children (series) currently in the family.</summary>
    public int Count => Volatile.Read(ref _store.ChildCount);

    /// <summary>Updates that went to the overflow series because <see cref="MetricOptions.MaxSeries"/> was reached.</summary>
    public long DroppedSeries => Volatile.Read(ref _store.Dropped);

    /// <summary>
    /// Returns the child for <paramref name="values"/> (in the order of the label names, curried ones left out),
    /// creating it on first use. An existing child is found without allocating.
    /// </summary>
    /// <exception cref="ArgumentException">The number of values is wrong, or a value is null or not valid UTF-8.</exception>
    public TChild WithLabels(params ReadOnlySpan<string> values)
    {
        if (_curry.Length == 0)
        {
            return _store.Get(values);
        }
        var expected = _store.Desc.VariableLabels.Count - _curry.Length;
        if (values.Length != expected)
        {
            ThrowWrongCount(values, expected);
        }
        var buffer = new LabelValueBuffer();
        Span<string> full = _store.Desc.VariableLabels.Count <= LabelValueBuffer.Size
            ? buffer[.._store.Desc.VariableLabels.Count]
            : new string[_store.Desc.VariableLabels.Count];
        Merge(values, full);
        return _store.Get(full);
    }

    /// <summary>Returns the child whose labels are <paramref name="labels"/> (every uncurried label, by name).</summary>
    /// <exception cref="ArgumentException">A label is missing, unknown or curried.</exception>
    public TChild WithLabels(IReadOnlyDictionary<string, string> labels) => _store.Get(ValuesFromMap(labels));

    /// <summary>Removes the child for <paramref name="values"/>; returns whether there was one.</summary>
    public bool Remove(params ReadOnlySpan<string> values)
    {
        if (_curry.Length == 0)
        {
            return _store.Remove(values);
        }
        if (values.Length != _store.Desc.VariableLabels.Count - _curry.Length)
        {
            ThrowWrongCount(values, _store.Desc.VariableLabels.Count - _curry.Length);
        }
        var full = new string[_store.Desc.VariableLabels.Count];
        Merge(values, full);
        return _store.Remove(full);
    }

    /// <summary>Removes the child whose labels are <paramref name="labels"/>; returns whether there was one.</summary>
    public bool Remove(IReadOnlyDictionary<string, string> labels) => _store.Remove(ValuesFromMap(labels));

    /// <summary>
    /// Removes every child whose labels include all of <paramref name="labels"/> (and the curried ones); returns how
    /// many were removed.
    /// </summary>
    public int RemovePartialMatch(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var desc = _store.Desc;
        var match = new List<Curry>(_curry);
        foreach (var (name, value) in labels)
        {
            var index = IndexOf(desc.VariableLabels, name);
            if (index < 0)
            {
                throw new ArgumentException($"Metric \"{desc.FqName}\" has no variable label \"{name}\".", nameof(labels));
            }
            match.Add(new Curry(index, value));
        }
        return _store.RemoveWhere(key => match.TrueForAll(m => key[m.Index] == m.Value));
    }

    /// <summary>Removes every child (of this curried view only, when curried).</summary>
    public void Clear()
    {
        if (_curry.Length == 0)
        {
            _store.Clear();
        }
        else
        {
            _store.RemoveWhere(key => Array.TrueForAll(_curry, c => key[c.Index] == c.Value));
        }
    }

    /// <inheritdoc />
    public IEnumerable<Desc> Describe() => [_store.Desc];

    /// <inheritdoc />
    public IEnumerable<IMetric> Collect() => _store.Children();

    private string[] ValuesFromMap(IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var desc = _store.Desc;
        var values = new string[desc.VariableLabels.Count];
        foreach (var c in _curry)
        {
            values[c.Index] = c.Value;
        }
        var given = 0;
        foreach (var (name, value) in labels)
        {
            var index = IndexOf(desc.VariableLabels, name);
            if (index < 0 || Array.Exists(_curry, c => c.Index == index))
            {
                throw new ArgumentException(
                    $"Metric \"{desc.FqName}\" has no {(index < 0 ? "" : "uncurried ")}variable label \"{name}\" (labels: {string.Join(", ", desc.VariableLabels)}).", nameof(labels));
            }
            values[index] = value;
            given++;
        }
        if (given != desc.VariableLabels.Count - _curry.Length)
        {
            var missing = desc.VariableLabels.Where((n, i) => values[i] is null);
            throw new ArgumentException($"Metric \"{desc.FqName}\" needs labels {string.Join(", ", missing)}, which were not given.", nameof(labels));
        }
        return values;
    }

    private void Merge(ReadOnlySpan<string> values, Span<string> full)
    {
        var curryIndex = 0;
        var valueIndex = 0;
        for (var i = 0; i < full.Length; i++)
        {
            if (curryIndex < _curry.Length && _curry[curryIndex].Index == i)
            {
                full[i] = _curry[curryIndex++].Value;
            }
            else
            {
                full[i] = values[valueIndex++];
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }
        return -1;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowWrongCount(ReadOnlySpan<string> values, int expected)
    {
        var desc = _store.Desc;
        var names = desc.VariableLabels.Where((_, i) => !Array.Exists(_curry, c => c.Index == i));
        throw new ArgumentException(
            $"Metric \"{desc.FqName}\" expects {expected} label values ({string.Join(", ", names)}) but got {values.Length} ({string.Join(", ", values.ToArray().Select(v => "\"" + v + "\""))}).",
            nameof(values));
    }

    private readonly record struct Curry(int Index, string Value);

    [InlineArray(Size)]
    private struct LabelValueBuffer
    {
        public const int Size = 16;
        private string _element;
    }

    /// <summary>The children of a family, shared by all its curried views.</summary>
    private sealed class Store
    {
        private readonly ConcurrentDictionary<string[], TChild> _children;
        private readonly ConcurrentDictionary<string[], TChild>.AlternateLookup<ReadOnlySpan<string>> _lookup;
        private readonly Func<LabelSet, TChild> _createChild;
        private readonly int? _maxSeries;
        private TChild? _overflow;
        public int ChildCount;
        public long Dropped;

        public Store(Desc desc, int? maxSeries, Func<LabelSet, TChild> createChild)
        {
            Desc = desc;
            _maxSeries = maxSeries;
            _createChild = createChild;
            _children = new ConcurrentDictionary<string[], TChild>(LabelValuesComparer.Instance);
            _lookup = _children.GetAlternateLookup<ReadOnlySpan<string>>();
        }

        public Desc Desc { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TChild Get(ReadOnlySpan<string> values)
        {
            if (values.Length == Desc.VariableLabels.Count && _lookup.TryGetValue(values, out var child))
            {
                return child;
            }
            return GetSlow(values);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private TChild GetSlow(ReadOnlySpan<string> values)
        {
            var names = Desc.VariableLabels;
            if (values.Length != names.Count)
            {
                throw new ArgumentException(
                    $"Metric \"{Desc.FqName}\" expects {names.Count} label values ({string.Join(", ", names)}) but got {values.Length} ({string.Join(", ", values.ToArray().Select(v => "\"" + v + "\""))}).",
                    nameof(values));
            }
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is null)
                {
                    throw new ArgumentNullException(nameof(values), $"Value of label \"{names[i]}\" of metric \"{Desc.FqName}\" is null.");
                }
                if (!MetricNames.IsWellFormedUtf16(values[i]))
                {
                    throw new ArgumentException($"Value of label \"{names[i]}\" of metric \"{Desc.FqName}\" is not valid UTF-8.", nameof(values));
                }
            }
            if (_maxSeries is { } max && Volatile.Read(ref ChildCount) >= max)
            {
                Interlocked.Increment(ref Dropped);
                return Overflow();
            }
            var key = values.ToArray();
            var created = _createChild(LabelSet.Create(Desc.ConstLabels, names, key));
            var child = _children.GetOrAdd(key, created);
            if (ReferenceEquals(child, created))
            {
                Interlocked.Increment(ref ChildCount);
            }
            return child;
        }

        private TChild Overflow()
        {
            var existing = Volatile.Read(ref _overflow);
            if (existing is not null)
            {
                return existing;
            }
            var values = Enumerable.Repeat(OverflowLabelValue, Desc.VariableLabels.Count).ToArray();
            var created = _createChild(LabelSet.Create(Desc.ConstLabels, Desc.VariableLabels, values));
            return Interlocked.CompareExchange(ref _overflow, created, null) ?? created;
        }

        public bool Remove(ReadOnlySpan<string> values)
        {
            if (values.Length != Desc.VariableLabels.Count)
            {
                throw new ArgumentException(
                    $"Metric \"{Desc.FqName}\" expects {Desc.VariableLabels.Count} label values ({string.Join(", ", Desc.VariableLabels)}) but got {values.Length}.", nameof(values));
            }
            if (_lookup.TryRemove(values, out _, out _))
            {
                Interlocked.Decrement(ref ChildCount);
                return true;
            }
            return false;
        }

        public int RemoveWhere(Func<string[], bool> predicate)
        {
            var removed = 0;
            foreach (var key in _children.Keys)
            {
                if (predicate(key) && _children.TryRemove(key, out _))
                {
                    Interlocked.Decrement(ref ChildCount);
                    removed++;
                }
            }
            return removed;
        }

        public void Clear() => RemoveWhere(static _ => true);

        public IEnumerable<IMetric> Children()
        {
            foreach (var pair in _children)
            {
                yield return pair.Value;
            }
            if (Volatile.Read(ref _overflow) is { } overflow)
            {
                yield return overflow;
            }
        }
    }

    /// <summary>Compares label value arrays, and hashes a caller's span exactly as it hashes the stored array.</summary>
    private sealed class LabelValuesComparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && Equals(y.AsSpan(), x);

        public int GetHashCode(string[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<string> alternate, string[] other)
        {
            if (alternate.Length != other.Length)
            {
                return false;
            }
            for (var i = 0; i < alternate.Length; i++)
            {
                if (!string.Equals(alternate[i], other[i]))
                {
                    return false;
                }
            }
            return true;
        }

        public int GetHashCode(ReadOnlySpan<string> alternate)
        {
            var hash = new HashCode();
            foreach (var value in alternate)
            {
                hash.Add(value is null ? 0 : value.GetHashCode());
            }
            return hash.ToHashCode();
        }

        public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();
    }
}
