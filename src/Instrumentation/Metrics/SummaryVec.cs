namespace Instrumentation;

/// <summary>A labelled family of <see cref="Summary"/>s sharing one set of objectives and one window.</summary>
public sealed class SummaryVec : MetricVec<Summary>
{
    /// <summary>Creates the family with the given variable label names.</summary>
    /// <exception cref="ArgumentException">
    /// The options are invalid (see <see cref="Summary(SummaryOptions)"/>), or a label is named <c>quantile</c>.
    /// </exception>
    public SummaryVec(SummaryOptions options, IReadOnlyList<string> labelNames)
        : this(options, labelNames, time: null)
    {
    }

    /// <summary>Creates the family, its children reading the window's clock from <paramref name="time"/> (for tests).</summary>
    internal SummaryVec(SummaryOptions options, IReadOnlyList<string> labelNames, TimeProvider? time)
        : this(SummarySettings.Create(
            options ?? throw new ArgumentNullException(nameof(options)),
            labelNames ?? throw new ArgumentNullException(nameof(labelNames)),
            time), FamilyLimits.From(options))
    {
    }

    private SummaryVec(SummarySettings settings, FamilyLimits limits)
        : base(settings.Schema, limits, key => new Summary(settings, key))
    {
    }

    private SummaryVec(SummaryVec parent, IReadOnlyDictionary<string, string> labels)
        : base(parent, labels)
    {
    }

    /// <summary>Returns a view of this family with some labels fixed (see <see cref="CounterVec.CurryWith"/>).</summary>
    public SummaryVec CurryWith(IReadOnlyDictionary<string, string> labels) => new(this, labels);
}
