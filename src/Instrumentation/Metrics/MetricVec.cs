using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Instrumentation;

/// <summary>
/// A labelled family of metrics: one child per combination of label values, created on first use.
/// <see cref="CounterVec"/>, <see cref="GaugeVec"/>, <see cref="HistogramVec"/> and <see cref="SummaryVec"/> are its
/// concrete kinds.
/// </summary>
/// <remarks>
/// Children live in a hash table keyed by their label values that is read without locks: finding an existing child
/// hashes the caller's span of values directly, builds no key, takes no lock and writes nothing.
/// A curried view (<c>CurryWith</c>) shares the children of the family it came from.
/// </remarks>
/// <typeparam name="TChild">The child metric type.</typeparam>
public abstract class MetricVec<TChild> : ICollector, ISeriesCapped
    where TChild : class, IMetric
{
    /// <summary>The label value every label of the overflow series has once <see cref="MetricOptions.MaxSeries"/> is reached.</summary>
    public const string OverflowLabelValue = "__overflow__";

    private readonly Store _store;
    private readonly Curry[] _curry;

    private protected MetricVec(SeriesSchema schema, FamilyLimits limits, Func<object?[], TChild> createChild)
    {
        var desc = schema.Desc;
        if (limits.MaxSeries is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxSeries, $"MaxSeries of metric \"{desc.FqName}\" must be at least 1.");
        }
        if (limits.ExpireAfter is { } expireAfter && expireAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), expireAfter, $"ExpireAfter of metric \"{desc.FqName}\" must be positive.");
        }
        _store = new Store(schema, limits, createChild);
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

    /// <summary>
    /// How many times <c>WithLabels</c> was asked for a label combination the family had no room for (because
    /// <see cref="MetricOptions.MaxSeries"/> was reached) and answered with the overflow series instead.
    /// </summary>
    public long DroppedSeries => Volatile.Read(ref _store.Dropped);

    /// <summary>Called halfway through relinking the keys when the family's table grows (for tests).</summary>
    internal Action? RelinkHook
    {
        get => _store.RelinkHook;
        set => _store.RelinkHook = value;
    }

    /// <summary>The family's series limit (<see cref="MetricOptions.MaxSeries"/>), or null for none.</summary>
    int? ISeriesCapped.MaxSeries => _store.MaxSeries;

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
    /// <remarks>
    /// A hash table chained through the children's series keys (see <see cref="SeriesSchema"/>): a bucket holds the
    /// first key of its chain and each key the next, so a child costs no index node of its own. Readers walk it
    /// without a lock or a write: a look-up loads the bucket, the key and the value strings, and returns the child
    /// from the key without touching the child. Creating and removing children, which are rare, take a lock: a new
    /// key is published at the head of its chain with a volatile write, a removed one is unlinked by pointing its
    /// predecessor past it (a reader standing on it still finds the rest of the chain).
    /// <para>
    /// Growing the table relinks the keys into a new bucket array in place, and bringing an expired child back
    /// relinks its old key; a reader walking a chain meanwhile may be led into another chain and miss the child it
    /// looks for — never find a wrong one, as every hit is checked against all values. A miss only means the slow
    /// path, which looks again under the lock. What must not act on such a false miss counts relinks in
    /// <see cref="_relinks"/> (odd while one is under way) and checks that none happened while it looked: the full
    /// family's lock-free answer with the overflow series, and the scrape's snapshot of the children.
    /// </para>
    /// </remarks>
    private sealed class Store
    {
        private const int InitialBuckets = 16;

        private readonly Func<object?[], TChild> _createChild;
        private readonly int? _maxSeries;
        private readonly SeriesExpiry<TChild>? _expiry;
        private readonly int _labelCount;
        private readonly Lock _writeLock = new();
        private object?[]?[] _buckets = new object?[]?[InitialBuckets];

        /// <summary>Bumped before and after every relinking of keys that readers may be walking (odd while under way).</summary>
        private int _relinks;
        private int _version;
        private Snapshot? _sorted;
        private TChild? _overflow;
        public int ChildCount;
        public long Dropped;

        public Store(SeriesSchema schema, FamilyLimits limits, Func<object?[], TChild> createChild)
        {
            Schema = schema;
            Desc = schema.Desc;
            _maxSeries = limits.MaxSeries;
            _expiry = limits.ExpireAfter is { } expireAfter ? new SeriesExpiry<TChild>(expireAfter, limits.Time ?? TimeProvider.System) : null;
            _createChild = createChild;
            _labelCount = schema.LabelCount;
        }

        public SeriesSchema Schema { get; }

        public Desc Desc { get; }

        public Action? RelinkHook { get; set; }

        public int? MaxSeries => _maxSeries;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TChild Get(ReadOnlySpan<string> values)
        {
            if (values.Length == _labelCount)
            {
                var hash = LabelValuesHash.Of(values);
                var buckets = Volatile.Read(ref _buckets);
                for (var key = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); key is not null; key = NextOf(key, values.Length))
                {
                    if (Matches(key, values))
                    {
                        return Unsafe.As<TChild>(KeySlot(key, values.Length))!;
                    }
                }
            }
            return GetSlow(values);
        }

        /// <summary>Slot <paramref name="index"/> of a key (at most <see cref="_labelCount"/> + 2: keys are that long).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static ref object? KeySlot(object?[] key, int index) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(key), index);

        /// <summary>The next key of <paramref name="key"/>'s chain (its slot after the child's).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static object?[]? NextOf(object?[] key, int labelCount) => Unsafe.As<object?[]?>(Volatile.Read(ref KeySlot(key, labelCount + 1)));

        /// <summary>Whether the key's values are <paramref name="values"/> (as many as the family has labels).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Matches(object?[] key, ReadOnlySpan<string> values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                var own = Unsafe.As<string>(KeySlot(key, i));
                // Call sites usually pass the same string instances (literals, cached strings): compare references first.
                if (!ReferenceEquals(own, values[i]) && !string.Equals(own, values[i]))
                {
                    return false;
                }
            }
            return true;
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
            var hash = LabelValuesHash.Of(values);
            // A full family answers new label values with its overflow series without queueing on the lock: once
            // MaxSeries is reached, a flood of new values (a user id, say) is exactly when callers must not serialise.
            // A child created or expired meanwhile only means this one update lands in the overflow series. The look-up
            // that sent us here may have missed an existing child while keys were being relinked: it is repeated, and
            // trusted only if no relinking overlapped it; otherwise the lock decides.
            if (_maxSeries is { } cap && _expiry is null && Volatile.Read(ref ChildCount) >= cap && Volatile.Read(ref _overflow) is { } full)
            {
                var relinks = Volatile.Read(ref _relinks);
                if ((relinks & 1) == 0)
                {
                    var found = Find(Volatile.Read(ref _buckets), hash, values);
                    if (found is not null)
                    {
                        return Unsafe.As<TChild>(found[_labelCount])!;
                    }
                    if (Volatile.Read(ref _relinks) == relinks)
                    {
                        Interlocked.Increment(ref Dropped);
                        return full;
                    }
                }
            }
            lock (_writeLock)
            {
                // Another thread may have created it since the lock-free look.
                if (Find(_buckets, hash, values) is { } existing)
                {
                    return Unsafe.As<TChild>(existing[_labelCount])!;
                }
                // An expired child the application may still hold comes back rather than a second one for the same
                // labels, even in a full family: its kept reference would bring it back at the next scrape anyway.
                if (_expiry?.Exhume(values.ToArray()) is { } revived)
                {
                    Relink(hash, KeyOf(revived));
                    return revived;
                }
                if (_maxSeries is { } max && ChildCount >= max)
                {
                    Interlocked.Increment(ref Dropped);
                    return Overflow();
                }
                var key = Schema.NewKey(values);
                var child = _createChild(key);
                key[_labelCount] = child;
                Insert(hash, key);
                return child;
            }
        }

        private static object?[] KeyOf(TChild child) => ((ISeriesChild)child).SeriesKey;

        /// <summary>Publishes a new key at the head of its chain (caller holds the lock).</summary>
        private void Insert(int hash, object?[] key)
        {
            var buckets = ChildCount >= _buckets.Length ? Grow() : _buckets;
            ref var head = ref buckets[hash & (buckets.Length - 1)];
            key[_labelCount + 1] = head;
            Volatile.Write(ref head, key);
            Volatile.Write(ref ChildCount, ChildCount + 1);
            Interlocked.Increment(ref _version);
            _expiry?.Track(Unsafe.As<TChild>(key[_labelCount])!);
        }

        /// <summary>Publishes again the key of a child that was removed (caller holds the lock): a relink, as readers may stand on it.</summary>
        private void Relink(int hash, object?[] key)
        {
            Interlocked.Increment(ref _relinks);
            Insert(hash, key);
            Interlocked.Increment(ref _relinks);
        }

        /// <summary>
        /// Removes the children not updated for <see cref="MetricOptions.ExpireAfter"/> and brings back expired ones
        /// that were updated since. Runs at scrape time; a scrape that finds another one sweeping skips it.
        /// </summary>
        private void SweepExpired(SeriesExpiry<TChild> expiry)
        {
            if (!_writeLock.TryEnter())
            {
                return;
            }
            try
            {
                if (expiry.TakeUpdatedDormant() is { } updated)
                {
                    foreach (var (child, values) in updated)
                    {
                        var hash = LabelValuesHash.Of(values);
                        if (Find(_buckets, hash, values) is null)
                        {
                            Relink(hash, KeyOf(child));
                        }
                    }
                }
                if (expiry.FindExpired(AllKeys(_buckets).Select(key => Unsafe.As<TChild>(key[_labelCount])!)) is not { } expired)
                {
                    return;
                }
                var expiredSet = new HashSet<TChild>(expired, ReferenceEqualityComparer.Instance);
                RemoveKeysLocked(key =>
                {
                    var child = Unsafe.As<TChild>(key[_labelCount])!;
                    if (!expiredSet.Contains(child))
                    {
                        return false;
                    }
                    expiry.Bury(child, ValuesOf(key));
                    return true;
                });
            }
            finally
            {
                _writeLock.Exit();
            }
        }

        private IEnumerable<object?[]> AllKeys(object?[]?[] buckets)
        {
            foreach (var first in buckets)
            {
                for (var key = first; key is not null; key = NextOf(key, _labelCount))
                {
                    yield return key;
                }
            }
        }

        /// <summary>A key's label values, in label order (allocated: for the rare paths that need them as an array).</summary>
        private string[] ValuesOf(object?[] key) => SeriesSchema.Values(key, _labelCount).ToArray();

        private object?[]? Find(object?[]?[] buckets, int hash, ReadOnlySpan<string> values)
        {
            for (var key = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); key is not null; key = NextOf(key, _labelCount))
            {
                if (Matches(key, values))
                {
                    return key;
                }
            }
            return null;
        }

        /// <summary>Relinks every key into a table twice the size and publishes it (caller holds the lock).</summary>
        private object?[]?[] Grow()
        {
            var old = _buckets;
            var grown = new object?[]?[old.Length * 2];
            Interlocked.Increment(ref _relinks);
            var moved = 0;
            foreach (var first in old)
            {
                var key = first;
                while (key is not null)
                {
                    if (moved++ == ChildCount / 2)
                    {
                        RelinkHook?.Invoke();
                    }
                    var next = NextOf(key, _labelCount);
                    ref var head = ref grown[LabelValuesHash.Of(SeriesSchema.Values(key, _labelCount)) & (grown.Length - 1)];
                    Volatile.Write(ref key[_labelCount + 1], head);
                    head = key;
                    key = next;
                }
            }
            Volatile.Write(ref _buckets, grown);
            Interlocked.Increment(ref _relinks);
            return grown;
        }

        private TChild Overflow()
        {
            var existing = Volatile.Read(ref _overflow);
            if (existing is not null)
            {
                return existing;
            }
            var key = Schema.NewKey(Enumerable.Repeat(OverflowLabelValue, _labelCount).ToArray());
            var created = _createChild(key);
            key[_labelCount] = created;
            return Interlocked.CompareExchange(ref _overflow, created, null) ?? created;
        }

        public bool Remove(ReadOnlySpan<string> values)
        {
            if (values.Length != Desc.VariableLabels.Count)
            {
                throw new ArgumentException(
                    $"Metric \"{Desc.FqName}\" expects {Desc.VariableLabels.Count} label values ({string.Join(", ", Desc.VariableLabels)}) but got {values.Length}.", nameof(values));
            }
            var hash = LabelValuesHash.Of(values);
            lock (_writeLock)
            {
                if (_expiry is not null)
                {
                    // Removed explicitly: an expired child with these values must not come back either.
                    var removed = values.ToArray();
                    _expiry.ForgetWhere(key => key.AsSpan().SequenceEqual(removed));
                }
                ref var link = ref Unsafe.As<object?[]?, object?>(ref _buckets[hash & (_buckets.Length - 1)]);
                for (var key = Unsafe.As<object?[]?>(link); key is not null; key = NextOf(key, _labelCount))
                {
                    if (Matches(key, values))
                    {
                        Volatile.Write(ref link, NextOf(key, _labelCount));
                        Volatile.Write(ref ChildCount, ChildCount - 1);
                        Interlocked.Increment(ref _version);
                        return true;
                    }
                    link = ref key[_labelCount + 1];
                }
                return false;
            }
        }

        public int RemoveWhere(Func<string[], bool> predicate)
        {
            lock (_writeLock)
            {
                _expiry?.ForgetWhere(predicate);
                return RemoveKeysLocked(key => predicate(ValuesOf(key)));
            }
        }

        /// <summary>
        /// Unlinks the keys <paramref name="remove"/> picks (caller holds the lock); returns how many it removed. An
        /// unlinked key keeps its link to the rest of its chain, so a reader standing on it loses nothing. The version
        /// changes only when something was removed.
        /// </summary>
        private int RemoveKeysLocked(Func<object?[], bool> remove)
        {
            var removed = 0;
            var buckets = _buckets;
            for (var b = 0; b < buckets.Length; b++)
            {
                ref var link = ref Unsafe.As<object?[]?, object?>(ref buckets[b]);
                for (var key = Unsafe.As<object?[]?>(link); key is not null; key = NextOf(key, _labelCount))
                {
                    if (remove(key))
                    {
                        Volatile.Write(ref link, NextOf(key, _labelCount));
                        removed++;
                    }
                    else
                    {
                        link = ref key[_labelCount + 1];
                    }
                }
            }
            if (removed > 0)
            {
                Volatile.Write(ref ChildCount, ChildCount - removed);
                Interlocked.Increment(ref _version);
            }
            return removed;
        }

        public void Clear() => RemoveWhere(static _ => true);

        /// <summary>
        /// The children in the order a scrape sorts series into (the overflow series, if any, in its sorted place), from a snapshot
        /// that is re-sorted only after a child was created or removed: a steady-state scrape finds them already in
        /// order, sorts nothing and allocates nothing (the snapshot is a list the registry indexes).
        /// </summary>
        public IReadOnlyList<IMetric> Children()
        {
            if (_expiry is not null)
            {
                SweepExpired(_expiry);
            }
            var version = Volatile.Read(ref _version);
            var overflow = Volatile.Read(ref _overflow);
            if (Volatile.Read(ref _sorted) is { } sorted && sorted.Version == version && ReferenceEquals(sorted.Overflow, overflow))
            {
                return sorted;
            }
            // Collected without the lock: a child created meanwhile may or may not be in it, as with any concurrent
            // scrape, and the snapshot keeps the older version number so the next scrape rebuilds it. A relinking
            // meanwhile could show a key twice or not at all, so then the keys are collected again under the lock.
            var keys = new List<object?[]>(Volatile.Read(ref ChildCount));
            var relinks = Volatile.Read(ref _relinks);
            if ((relinks & 1) == 0)
            {
                keys.AddRange(AllKeys(Volatile.Read(ref _buckets)));
            }
            if ((relinks & 1) != 0 || Volatile.Read(ref _relinks) != relinks)
            {
                keys.Clear();
                lock (_writeLock)
                {
                    keys.AddRange(AllKeys(_buckets));
                }
            }
            var sortedKeys = SortInScrapeOrder(keys.ToArray(), Schema.SortOrder);
            var overflowPosition = overflow is null ? 0 : OverflowPosition(sortedKeys);
            // A child created with every value "__overflow__" is the overflow series' duplicate: the registry reports it.
            var distinct = overflow is null || overflowPosition == sortedKeys.Length || CompareToOverflow(sortedKeys[overflowPosition]) != 0;
            var snapshot = new Snapshot(version, sortedKeys, _labelCount, overflow, overflowPosition, distinct);
            Volatile.Write(ref _sorted, snapshot);
            return snapshot;
        }

        /// <summary>Where the overflow series (every value <see cref="OverflowLabelValue"/>) belongs among sorted children.</summary>
        private int OverflowPosition(object?[][] sorted)
        {
            int low = 0, high = sorted.Length;
            while (low < high)
            {
                var middle = (low + high) >>> 1;
                if (CompareToOverflow(sorted[middle]) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }
            return low;
        }

        private int CompareToOverflow(object?[] key)
        {
            foreach (var index in Schema.SortOrder)
            {
                var c = CodePointOrder.Compare(Unsafe.As<string>(key[index]), OverflowLabelValue);
                if (c != 0)
                {
                    return c;
                }
            }
            return 0;
        }

        // A method of its own so that the comparison's closure is allocated only when sorting: a lambda capturing a
        // local allocates its closure where that local's scope begins, which in Children() would be every call.
        private static object?[][] SortInScrapeOrder(object?[][] keys, int[] order)
        {
            Array.Sort(keys, (a, b) =>
            {
                foreach (var index in order)
                {
                    var c = CodePointOrder.Compare(Unsafe.As<string>(a[index]), Unsafe.As<string>(b[index]));
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return 0;
            });
            return keys;
        }

        /// <summary>The sorted children as of one version of the table, with the overflow series in its place.</summary>
        /// <remarks>
        /// The children are copied into one array in series order, so a scrape reads them without going through the
        /// table's keys (one memory load less per series), and hands the registry the whole array
        /// (<see cref="ISortedSeries"/>): every child has the family's descriptor and they are distinct and in order.
        /// </remarks>
        private sealed class Snapshot : IReadOnlyList<IMetric>, ISortedSeries
        {
            private readonly IMetric[] _metrics;

            public Snapshot(int version, object?[][] keys, int labelCount, TChild? overflow, int overflowPosition, bool distinct)
            {
                Version = version;
                Distinct = distinct;
                Overflow = overflow;
                _metrics = new IMetric[keys.Length + (overflow is null ? 0 : 1)];
                var at = 0;
                for (var i = 0; i < keys.Length; i++)
                {
                    if (overflow is not null && i == overflowPosition)
                    {
                        _metrics[at++] = overflow;
                    }
                    _metrics[at++] = Unsafe.As<TChild>(keys[i][labelCount])!;
                }
                if (overflow is not null && overflowPosition == keys.Length)
                {
                    _metrics[at] = overflow;
                }
            }

            public int Version { get; }

            public TChild? Overflow { get; }

            public int Count => _metrics.Length;

            public ReadOnlySpan<IMetric> Sorted => _metrics;

            public bool Distinct { get; }

            public IMetric this[int index] => _metrics[index];

            public IEnumerator<IMetric> GetEnumerator() => ((IEnumerable<IMetric>)_metrics).GetEnumerator();

            System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}

/// <summary>A metric child with a series key (see <see cref="SeriesSchema"/>): the four kinds a labelled family holds.</summary>
internal interface ISeriesChild
{
    /// <summary>The child's series key.</summary>
    object?[] SeriesKey { get; }
}

/// <summary>The limits a labelled family is created with, from its <see cref="MetricOptions"/>.</summary>
internal readonly record struct FamilyLimits(int? MaxSeries, TimeSpan? ExpireAfter, TimeProvider? Time)
{
    public static FamilyLimits From(MetricOptions options) => new(options.MaxSeries, options.ExpireAfter, options.Time);
}
