using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Instrumentation;

/// <summary>
/// What every series (child) of one metric family has in common: the descriptor, its const labels and variable label
/// names, where each variable label goes among the series' label pairs sorted by name, the order a scrape sorts the
/// series into, and (as the <see cref="ExemplarSettings"/> it is) the family's exemplar settings. A child keeps one
/// reference to it and its own <em>series key</em>; labels are built from the two only when something asks for them.
/// </summary>
/// <remarks>
/// A series key is one <see cref="object"/> array per child: its variable label values in label order, then the child
/// itself (<see cref="ChildSlot"/>), the next key in its family index bucket (<see cref="NextSlot"/>, see
/// <c>MetricVec</c>) and a slot where exposition keeps what it caches for the series (<see cref="CacheSlot"/>: the
/// text encoding of its labels as a bare <see cref="byte"/> array in the common case, a <c>LabelEncoding</c> for other
/// schemes or protobuf, or a materialised <see cref="LabelSet"/> once someone asked for one — then the encodings live
/// on that set). So a labelled child costs its own object and this one array: no label set, no label pairs, no index
/// node of its own.
/// </remarks>
internal sealed class SeriesSchema : ExemplarSettings
{
    /// <summary>For each position among the sorted label pairs: the variable label index, or the complement of the const label index.</summary>
    private readonly int[] _merged;
    private readonly LabelPair[] _constLabels;
    private readonly string[] _names;

    /// <summary>Creates the schema of a family described by <paramref name="desc"/>.</summary>
    public SeriesSchema(Desc desc, ExemplarProvider? exemplars = null)
        : base(exemplars)
    {
        Desc = desc;
        _names = [.. desc.VariableLabels];
        _constLabels = [.. desc.ConstLabels];
        LabelCount = _names.Length;
        // The probe is a label set whose variable values are their names: its sorted pairs tell where each goes.
        NameLabels = LabelSet.Create(desc.ConstLabels, desc.VariableLabels, _names);
        var probe = NameLabels.AsSpan();
        _merged = new int[probe.Length];
        for (var position = 0; position < probe.Length; position++)
        {
            var variable = Array.IndexOf(_names, probe[position].Name);
            if (variable >= 0 && ReferenceEquals(probe[position].Value, _names[variable]))
            {
                _merged[position] = variable;
            }
            else
            {
                var constant = 0;
                while (_constLabels[constant].Name != probe[position].Name)
                {
                    constant++;
                }
                _merged[position] = ~constant;
            }
        }
        // A scrape orders series by their label pairs sorted by name; const labels are the same for every series, so
        // series are in scrape order when their variable values are compared in label-name order.
        SortOrder = [.. Enumerable.Range(0, LabelCount).OrderBy(i => _names[i], CodePointOrder.Instance)];
        FixedLabels = LabelCount == 0 ? LabelSet.Create(desc.ConstLabels, [], []) : null;
    }

    /// <summary>The family's descriptor.</summary>
    public Desc Desc { get; }

    /// <summary>
    /// A label set with the names of every series of the family, each variable label's value its name: what checks of
    /// the names (validity under a scheme, the same names as another series) read, so that they build nothing.
    /// </summary>
    public LabelSet NameLabels { get; }

    /// <summary>Number of variable labels.</summary>
    public int LabelCount { get; }

    /// <summary>Number of label pairs of a series (const and variable).</summary>
    public int PairCount => _merged.Length;

    /// <summary>Variable label indices in label-name order: the keys a scrape sorts series by.</summary>
    public int[] SortOrder { get; }

    /// <summary>The one label set of every series of a family without variable labels (null when it has some).</summary>
    public LabelSet? FixedLabels { get; }

    /// <summary>Where a series key keeps its child.</summary>
    public int ChildSlot => LabelCount;

    /// <summary>Where a series key keeps the next key of its index bucket.</summary>
    public int NextSlot => LabelCount + 1;

    /// <summary>Where a series key keeps what exposition caches for the series.</summary>
    public int CacheSlot => LabelCount + 2;

    /// <summary>A new series key holding <paramref name="values"/> (in label order); the caller sets the child.</summary>
    public object?[] NewKey(ReadOnlySpan<string> values)
    {
        var key = new object?[LabelCount + 3];
        for (var i = 0; i < LabelCount; i++)
        {
            key[i] = values[i];
        }
        return key;
    }

    /// <summary>The label values of a series key, in label order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ReadOnlySpan<string> Values(object?[] key, int count) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<object?, string>(ref MemoryMarshal.GetArrayDataReference(key)), count);

    /// <summary>The label values of a series key of this family, in label order.</summary>
    public ReadOnlySpan<string> Values(object?[] key) => Values(key, LabelCount);

    /// <summary>The cache slot of a series key (see <see cref="CacheSlot"/>).</summary>
    public ref object? Cache(object?[] key) => ref key[LabelCount + 2];

    /// <summary>Writes the series' label pairs, sorted by name, into <paramref name="pairs"/> (<see cref="PairCount"/> long).</summary>
    public void FillPairs(object?[] key, Span<LabelPair> pairs)
    {
        var merged = _merged;
        for (var position = 0; position < merged.Length; position++)
        {
            var m = merged[position];
            pairs[position] = m >= 0 ? new LabelPair(_names[m], Unsafe.As<string>(key[m])!) : _constLabels[~m];
        }
    }

    /// <summary>
    /// The series' label set: the one kept in its cache slot, or one built from the schema and the values and kept
    /// there (taking over what encodings the slot held), so that asking again returns the same instance.
    /// </summary>
    public LabelSet Labels(object?[] key)
    {
        if (FixedLabels is { } fixedLabels)
        {
            return fixedLabels;
        }
        ref var slot = ref Cache(key);
        var cache = Volatile.Read(ref slot);
        while (true)
        {
            if (cache is LabelSet existing)
            {
                return existing;
            }
            var pairs = new LabelPair[PairCount];
            FillPairs(key, pairs);
            var created = new LabelSet(pairs, sorted: true) { EncodedCache = cache };
            var seen = Interlocked.CompareExchange(ref slot, created, cache);
            if (ReferenceEquals(seen, cache))
            {
                return created;
            }
            cache = seen;
        }
    }

    /// <summary>The labels of a series as text for messages: <c>{a="1",b="2"}</c>.</summary>
    public string Describe(object?[] key)
    {
        Span<LabelPair> pairs = new LabelPair[PairCount];
        FillPairs(key, pairs);
        return "{" + string.Join(",", pairs.ToArray().Select(p => $"{p.Name}=\"{p.Value}\"")) + "}";
    }
}
