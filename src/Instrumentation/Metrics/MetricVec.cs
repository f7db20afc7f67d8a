using System.Runtime.CompilerServices;

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

    private protected MetricVec(Desc desc, FamilyLimits limits, Func<LabelSet, TChild> createChild)
    {
        if (limits.MaxSeries is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), limits.MaxSeries, $"MaxSeries of metric \"{desc.FqName}\" must be at least 1.");
        }
        if (limits.ExpireAfter is { } expireAfter && expireAfter <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(limits), expireAfter, $"ExpireAfter of metric \"{desc.FqName}\" must be positive.");
        }
        _store = new Store(desc, limits, createChild);
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
    /// A hash table of immutable chains: readers walk it without a lock or a write (they only ever see whole chains,
    /// published with a volatile write); creating and removing children, which are rare, take a lock and publish a new
    /// chain head, or a whole new bucket array when the table grows.
    /// </remarks>
    private sealed class Store
    {
        private const int InitialBuckets = 16;

        private readonly Func<LabelSet, TChild> _createChild;
        private readonly int? _maxSeries;
        private readonly SeriesExpiry<TChild>? _expiry;
        private readonly int _labelCount;
        private readonly Lock _writeLock = new();
        private readonly int[] _labelOrder;

        /// <summary>Where each variable label's pair is in a child's label set (sorted by name, const labels included).</summary>
        private readonly int[] _valuePositions;

        /// <summary><see cref="_valuePositions"/> in label-name order (<see cref="_labelOrder"/>): the scrape order's keys.</summary>
        private readonly int[] _sortPositions;
        private Node?[] _buckets = new Node?[InitialBuckets];
        private int _version;
        private Snapshot? _sorted;
        private TChild? _overflow;
        public int ChildCount;
        public long Dropped;

        public Store(Desc desc, FamilyLimits limits, Func<LabelSet, TChild> createChild)
        {
            Desc = desc;
            _maxSeries = limits.MaxSeries;
            _expiry = limits.ExpireAfter is { } expireAfter ? new SeriesExpiry<TChild>(expireAfter, limits.Time ?? TimeProvider.System) : null;
            _createChild = createChild;
            _labelCount = desc.VariableLabels.Count;
            // A scrape orders series by their label pairs sorted by name; const labels are the same for every child,
            // so children are in scrape order when their variable values are compared in label-name order.
            _labelOrder = [.. Enumerable.Range(0, _labelCount).OrderBy(i => desc.VariableLabels[i], CodePointOrder.Instance)];
            // A child's node keeps its label set, not a copy of its values: the values are read from their pairs.
            var probe = LabelSet.Create(desc.ConstLabels, desc.VariableLabels, [.. desc.VariableLabels]).AsSpan();
            _valuePositions = new int[_labelCount];
            for (var i = 0; i < _labelCount; i++)
            {
                var position = 0;
                while (probe[position].Name != desc.VariableLabels[i])
                {
                    position++;
                }
                _valuePositions[i] = position;
            }
            _sortPositions = [.. _labelOrder.Select(i => _valuePositions[i])];
        }

        public Desc Desc { get; }

        public int? MaxSeries => _maxSeries;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TChild Get(ReadOnlySpan<string> values)
        {
            if (values.Length == _labelCount)
            {
                var hash = LabelValuesHash.Of(values);
                var buckets = Volatile.Read(ref _buckets);
                for (var node = Volatile.Read(ref buckets[hash & (buckets.Length - 1)]); node is not null; node = node.Next)
                {
                    if (node.Hash == hash && node.Matches(values, _valuePositions))
                    {
                        return node.Child;
                    }
                }
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
            // A full family answers new label values with its overflow series without queueing on the lock: once
            // MaxSeries is reached, a flood of new values (a user id, say) is exactly when callers must not serialise.
            // A child created or expired meanwhile only means this one update lands in the overflow series.
            if (_maxSeries is { } cap && _expiry is null && Volatile.Read(ref ChildCount) >= cap && Volatile.Read(ref _overflow) is { } full)
            {
                Interlocked.Increment(ref Dropped);
                return full;
            }
            var hash = LabelValuesHash.Of(values);
            lock (_writeLock)
            {
                // Another thread may have created it since the lock-free look.
                if (Find(_buckets, hash, values) is { } existing)
                {
                    return existing.Child;
                }
                // An expired child the application may still hold comes back rather than a second one for the same
                // labels, even in a full family: its kept reference would bring it back at the next scrape anyway.
                if (_expiry?.Exhume(values.ToArray()) is { } revived)
                {
                    Insert(hash, LabelSet.Create(Desc.ConstLabels, names, values), revived);
                    return revived;
                }
                if (_maxSeries is { } max && ChildCount >= max)
                {
                    Interlocked.Increment(ref Dropped);
                    return Overflow();
                }
                var labels = LabelSet.Create(Desc.ConstLabels, names, values);
                var child = _createChild(labels);
                Insert(hash, labels, child);
                return child;
            }
        }

        /// <summary>Publishes a child under its values (caller holds the lock).</summary>
        private void Insert(int hash, LabelSet labels, TChild child)
        {
            var buckets = ChildCount >= _buckets.Length ? Grow() : _buckets;
            ref var head = ref buckets[hash & (buckets.Length - 1)];
            Volatile.Write(ref head, new Node(hash, labels.PairArray, child, head));
            Volatile.Write(ref ChildCount, ChildCount + 1);
            Interlocked.Increment(ref _version);
            _expiry?.Track(child);
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
                        Insert(LabelValuesHash.Of(values), LabelSet.Create(Desc.ConstLabels, Desc.VariableLabels, values), child);
                    }
                }
                if (expiry.FindExpired(AllNodes(_buckets).Select(static node => node.Child)) is not { } expired)
                {
                    return;
                }
                var expiredSet = new HashSet<TChild>(expired, ReferenceEqualityComparer.Instance);
                RemoveNodesLocked(node =>
                {
                    if (!expiredSet.Contains(node.Child))
                    {
                        return false;
                    }
                    expiry.Bury(node.Child, ValuesOf(node));
                    return true;
                });
            }
            finally
            {
                _writeLock.Exit();
            }
        }

        private static IEnumerable<Node> AllNodes(Node?[] buckets)
        {
            foreach (var first in buckets)
            {
                for (var node = first; node is not null; node = node.Next)
                {
                    yield return node;
                }
            }
        }

        /// <summary>A node's label values, in label order (allocated: for the rare paths that need them as an array).</summary>
        private string[] ValuesOf(Node node)
        {
            var pairs = node.Pairs;
            var values = new string[_labelCount];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = pairs[_valuePositions[i]].Value;
            }
            return values;
        }

        private Node? Find(Node?[] buckets, int hash, ReadOnlySpan<string> values)
        {
            for (var node = buckets[hash & (buckets.Length - 1)]; node is not null; node = node.Next)
            {
                if (node.Hash == hash && node.Matches(values, _valuePositions))
                {
                    return node;
                }
            }
            return null;
        }

        /// <summary>Publishes a table twice the size holding the same children (caller holds the lock).</summary>
        private Node?[] Grow()
        {
            var grown = Rebuild(_buckets, _buckets.Length * 2, static _ => true);
            Volatile.Write(ref _buckets, grown);
            return grown;
        }

        private static Node?[] Rebuild(Node?[] buckets, int size, Func<Node, bool> keep)
        {
            var rebuilt = new Node?[size];
            foreach (var first in buckets)
            {
                for (var node = first; node is not null; node = node.Next)
                {
                    if (keep(node))
                    {
                        ref var head = ref rebuilt[node.Hash & (size - 1)];
                        head = new Node(node.Hash, node.Pairs, node.Child, head);
                    }
                }
            }
            return rebuilt;
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
            var hash = LabelValuesHash.Of(values);
            lock (_writeLock)
            {
                if (_expiry is not null)
                {
                    // Removed explicitly: an expired child with these values must not come back either.
                    var removed = values.ToArray();
                    _expiry.ForgetWhere(key => key.AsSpan().SequenceEqual(removed));
                }
                if (Find(_buckets, hash, values) is not { } target)
                {
                    return false;
                }
                // Chains are immutable: copy the nodes before the removed one onto the rest of the chain.
                ref var head = ref _buckets[hash & (_buckets.Length - 1)];
                Node? rest = target.Next;
                var prefix = new List<Node>();
                for (var node = head; !ReferenceEquals(node, target); node = node!.Next)
                {
                    prefix.Add(node!);
                }
                for (var i = prefix.Count - 1; i >= 0; i--)
                {
                    rest = new Node(prefix[i].Hash, prefix[i].Pairs, prefix[i].Child, rest);
                }
                Volatile.Write(ref head, rest);
                Volatile.Write(ref ChildCount, ChildCount - 1);
                Interlocked.Increment(ref _version);
                return true;
            }
        }

        public int RemoveWhere(Func<string[], bool> predicate)
        {
            lock (_writeLock)
            {
                _expiry?.ForgetWhere(predicate);
                return RemoveNodesLocked(node => predicate(ValuesOf(node)));
            }
        }

        /// <summary>
        /// Publishes a table without the nodes <paramref name="remove"/> picks (caller holds the lock); returns how many
        /// it removed. The table and the version change only when something was removed.
        /// </summary>
        private int RemoveNodesLocked(Func<Node, bool> remove)
        {
            var removed = 0;
            var kept = Rebuild(_buckets, _buckets.Length, node =>
            {
                if (remove(node))
                {
                    removed++;
                    return false;
                }
                return true;
            });
            if (removed > 0)
            {
                Volatile.Write(ref _buckets, kept);
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
            // Built without the lock: a child created meanwhile may or may not be in it, as with any concurrent
            // scrape, and the snapshot keeps the older version number so the next scrape rebuilds it.
            var nodes = new List<Node>(Volatile.Read(ref ChildCount));
            nodes.AddRange(AllNodes(Volatile.Read(ref _buckets)));
            var sortedNodes = SortInScrapeOrder(nodes.ToArray(), _sortPositions);
            var overflowPosition = overflow is null ? 0 : OverflowPosition(sortedNodes);
            // A child created with every value "__overflow__" is the overflow series' duplicate: the registry reports it.
            var distinct = overflow is null || overflowPosition == sortedNodes.Length || CompareToOverflow(sortedNodes[overflowPosition]) != 0;
            var snapshot = new Snapshot(version, sortedNodes, overflow, overflowPosition, distinct);
            Volatile.Write(ref _sorted, snapshot);
            return snapshot;
        }

        /// <summary>Where the overflow series (every value <see cref="OverflowLabelValue"/>) belongs among sorted children.</summary>
        private int OverflowPosition(Node[] sorted)
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

        private int CompareToOverflow(Node node)
        {
            var pairs = node.Pairs;
            foreach (var position in _sortPositions)
            {
                var c = CodePointOrder.Compare(pairs[position].Value, OverflowLabelValue);
                if (c != 0)
                {
                    return c;
                }
            }
            return 0;
        }

        // A method of its own so that the comparison's closure is allocated only when sorting: a lambda capturing a
        // local allocates its closure where that local's scope begins, which in Children() would be every call.
        private static Node[] SortInScrapeOrder(Node[] nodes, int[] positions)
        {
            Array.Sort(nodes, (a, b) =>
            {
                var pa = a.Pairs;
                var pb = b.Pairs;
                foreach (var position in positions)
                {
                    var c = CodePointOrder.Compare(pa[position].Value, pb[position].Value);
                    if (c != 0)
                    {
                        return c;
                    }
                }
                return 0;
            });
            return nodes;
        }

        /// <summary>The sorted children as of one version of the table, with the overflow series in its place.</summary>
        /// <remarks>
        /// The children are copied into one array in series order, so a scrape reads them without going through the
        /// table's nodes (one memory load less per series), and hands the registry the whole array
        /// (<see cref="ISortedSeries"/>): every child has the family's descriptor and they are distinct and in order.
        /// </remarks>
        private sealed class Snapshot : IReadOnlyList<IMetric>, ISortedSeries
        {
            private readonly IMetric[] _metrics;

            public Snapshot(int version, Node[] nodes, TChild? overflow, int overflowPosition, bool distinct)
            {
                Version = version;
                Distinct = distinct;
                Overflow = overflow;
                _metrics = new IMetric[nodes.Length + (overflow is null ? 0 : 1)];
                var at = 0;
                for (var i = 0; i < nodes.Length; i++)
                {
                    if (overflow is not null && i == overflowPosition)
                    {
                        _metrics[at++] = overflow;
                    }
                    _metrics[at++] = nodes[i].Child;
                }
                if (overflow is not null && overflowPosition == nodes.Length)
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

    /// <summary>
    /// One child in a bucket's chain; never changed once published. It keys the child by the pair array of the child's
    /// own label set (the values are read from its pairs), so a child's values are stored once, and a look-up loads as
    /// many objects as with an array of values.
    /// </summary>
    private sealed class Node(int hash, LabelPair[] pairs, TChild child, Node? next)
    {
        public readonly int Hash = hash;
        public readonly LabelPair[] Pairs = pairs;
        public readonly TChild Child = child;
        public readonly Node? Next = next;

        /// <summary>Whether the child's values are <paramref name="values"/> (their pairs are at <paramref name="positions"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Matches(ReadOnlySpan<string> values, int[] positions)
        {
            var pairs = Pairs;
            if (positions.Length != values.Length)
            {
                return false;
            }
            for (var i = 0; i < positions.Length; i++)
            {
                var own = pairs[positions[i]].Value;
                // Call sites usually pass the same string instances (literals, cached strings): compare references first.
                if (!ReferenceEquals(own, values[i]) && !string.Equals(own, values[i]))
                {
                    return false;
                }
            }
            return true;
        }
    }
}

/// <summary>The limits a labelled family is created with, from its <see cref="MetricOptions"/>.</summary>
internal readonly record struct FamilyLimits(int? MaxSeries, TimeSpan? ExpireAfter, TimeProvider? Time)
{
    public static FamilyLimits From(MetricOptions options) => new(options.MaxSeries, options.ExpireAfter, options.Time);
}
