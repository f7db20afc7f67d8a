using System.Collections;

namespace Instrumentation;

/// <summary>
/// An immutable list of label pairs identifying one series, sorted by name (by code point, as UTF-8 bytes sort).
/// </summary>
/// <remarks>
/// A series hands the same <see cref="LabelSet"/> instance to every scrape, which is what lets formatters cache the
/// encoded bytes of its labels instead of escaping them again on every scrape (see <see cref="EncodedCache"/>). A child
/// of a labelled family builds its set only when asked for it (its <c>Labels</c>, or the <see cref="MetricPoint.Labels"/>
/// of its gathered point) and keeps it; until then a scrape writes it from its family's names and its values.
/// </remarks>
public sealed class LabelSet : IReadOnlyList<LabelPair>
{
    private readonly LabelPair[] _pairs;

    /// <summary>The label set with no labels.</summary>
    public static LabelSet Empty { get; } = new([], sorted: true);

    /// <summary>Creates a label set; the pairs are sorted by name.</summary>
    public LabelSet(IEnumerable<LabelPair> pairs)
        : this(pairs.ToArray(), sorted: false)
    {
    }

    internal LabelSet(LabelPair[] pairs, bool sorted)
    {
        if (!sorted && pairs.Length > 1)
        {
            Array.Sort(pairs, static (a, b) => CodePointOrder.Compare(a.Name, b.Name));
        }
        _pairs = pairs;
    }

    /// <summary>
    /// Builds the label set of a series from its const labels (already sorted) and its variable label names and values.
    /// </summary>
    internal static LabelSet Create(IReadOnlyList<LabelPair> constLabels, IReadOnlyList<string> variableNames, ReadOnlySpan<string> values)
    {
        if (constLabels.Count == 0 && variableNames.Count == 0)
        {
            return Empty;
        }
        var pairs = new LabelPair[constLabels.Count + variableNames.Count];
        for (var i = 0; i < constLabels.Count; i++)
        {
            pairs[i] = constLabels[i];
        }
        for (var i = 0; i < variableNames.Count; i++)
        {
            pairs[constLabels.Count + i] = new LabelPair(variableNames[i], values[i]);
        }
        return new LabelSet(pairs, sorted: pairs.Length <= 1);
    }

    /// <inheritdoc />
    public int Count => _pairs.Length;

    /// <inheritdoc />
    public LabelPair this[int index] => _pairs[index];

    /// <summary>The pairs as a span, sorted by name.</summary>
    public ReadOnlySpan<LabelPair> AsSpan() => _pairs;

    /// <summary>Returns the value of the label <paramref name="name"/>, or null when the set has no such label.</summary>
    public string? GetValue(string name)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Name == name)
            {
                return pair.Value;
            }
        }
        return null;
    }

    /// <summary>Returns a new set with <paramref name="extra"/> added (an extra label replaces none: callers check overlap).</summary>
    internal LabelSet With(IReadOnlyList<LabelPair> extra)
    {
        if (extra.Count == 0)
        {
            return this;
        }
        var pairs = new LabelPair[_pairs.Length + extra.Count];
        _pairs.CopyTo(pairs, 0);
        for (var i = 0; i < extra.Count; i++)
        {
            pairs[_pairs.Length + i] = extra[i];
        }
        return new LabelSet(pairs, sorted: false);
    }

    // Computed once per set, on first use by a gather: a live series hands the same set to every scrape, so
    // duplicate detection and name validation cost a field read instead of a pass over every label.
    private int _structuralHash;

    /// <summary>
    /// One bit per <see cref="NameValidationScheme"/> the names were found valid under, and <see cref="HashComputed"/>
    /// once <see cref="_structuralHash"/> is set (one field rather than a separate flag: 8 bytes less per label set).
    /// </summary>
    private int _validatedSchemes;

    private const int HashComputed = 1 << 30;
    private Desc? _matchedDesc;

    /// <summary>Hash of all names and values, stable for the life of the set (and of the process).</summary>
    internal int StructuralHash
    {
        get
        {
            if ((Volatile.Read(ref _validatedSchemes) & HashComputed) == 0)
            {
                var hash = new HashCode();
                foreach (var pair in _pairs)
                {
                    hash.Add(pair.Name);
                    hash.Add(pair.Value);
                }
                _structuralHash = hash.ToHashCode();
                SetFlag(HashComputed);
            }
            return _structuralHash;
        }
    }

    /// <summary>
    /// Whether every label name is valid (and not reserved) under <paramref name="scheme"/>; the answer is remembered
    /// once it is yes.
    /// </summary>
    internal bool HasValidNames(NameValidationScheme scheme, out string? invalidName)
    {
        var bit = 1 << (int)scheme;
        invalidName = null;
        if ((Volatile.Read(ref _validatedSchemes) & bit) != 0)
        {
            return true;
        }
        foreach (var pair in _pairs)
        {
            if (!MetricNames.IsValidLabelName(pair.Name, scheme) || MetricNames.IsReservedLabelName(pair.Name))
            {
                invalidName = pair.Name;
                return false;
            }
        }
        SetFlag(bit);
        return true;
    }

    private void SetFlag(int bit)
    {
        int current;
        do
        {
            current = Volatile.Read(ref _validatedSchemes);
        }
        while (Interlocked.CompareExchange(ref _validatedSchemes, current | bit, current) != current);
    }

    /// <summary>
    /// Whether these pairs are exactly the labels <paramref name="desc"/> declares: its const labels with their values
    /// and its variable labels with any value, nothing else (as the reference client checks every collected metric).
    /// The last descriptor matched is remembered, so a child's set is compared once, not at every scrape.
    /// </summary>
    internal bool Matches(Desc desc)
    {
        if (ReferenceEquals(Volatile.Read(ref _matchedDesc), desc))
        {
            return true;
        }
        if (_pairs.Length != desc.ConstLabels.Count + desc.VariableLabels.Count)
        {
            return false;
        }
        foreach (var constPair in desc.ConstLabels)
        {
            if (IndexOfName(constPair.Name) is var i && (i < 0 || _pairs[i].Value != constPair.Value))
            {
                return false;
            }
        }
        foreach (var name in desc.VariableLabels)
        {
            if (IndexOfName(name) < 0)
            {
                return false;
            }
        }
        // Every declared name was found and there are as many pairs as names, unless a pair name repeats.
        for (var i = 1; i < _pairs.Length; i++)
        {
            if (_pairs[i].Name == _pairs[i - 1].Name)
            {
                return false;
            }
        }
        Volatile.Write(ref _matchedDesc, desc);
        return true;
    }

    private int IndexOfName(string name)
    {
        for (var i = 0; i < _pairs.Length; i++)
        {
            if (_pairs[i].Name == name)
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>What this set becomes under the wrap levels it was seen through (see <see cref="WrapLevel"/>).</summary>
    internal WrapCacheEntry<LabelSet>? WrapCache;

    /// <summary>
    /// A slot where an exposition formatter may keep this set's encoded form. Formatters own its contents; they must
    /// check the type of what they find and may overwrite it.
    /// </summary>
    internal object? EncodedCache;

    /// <inheritdoc />
    public IEnumerator<LabelPair> GetEnumerator() => ((IEnumerable<LabelPair>)_pairs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <inheritdoc />
    public override string ToString() => "{" + string.Join(",", _pairs.Select(p => $"{p.Name}=\"{p.Value}\"")) + "}";
}
