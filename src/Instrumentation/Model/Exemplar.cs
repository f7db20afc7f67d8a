namespace Instrumentation;

/// <summary>
/// An exemplar: one observation kept with its labels (typically a trace id) so that a dashboard can jump from a
/// counter or a histogram bucket to a trace.
/// </summary>
public sealed class Exemplar
{
    /// <summary>The OpenMetrics limit on the combined length of an exemplar's label names and values, in runes.</summary>
    public const int MaxRunes = 128;

    /// <summary>Creates an exemplar, checking the label names and the 128-rune limit.</summary>
    /// <exception cref="ArgumentException">A label name is invalid, reserved (starts with <c>__</c>) or repeated, a
    /// value is null, or the labels are longer than 128 runes.</exception>
    public Exemplar(IReadOnlyList<LabelPair> labels, double value, double? timestampSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var runes = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var pair = labels[i];
            if (!MetricNames.IsValidLabelName(pair.Name))
            {
                throw new ArgumentException($"Exemplar label name \"{pair.Name}\" is invalid.", nameof(labels));
            }
            if (MetricNames.IsReservedLabelName(pair.Name))
            {
                throw new ArgumentException(
                    $"Exemplar label name \"{pair.Name}\" is reserved: names starting with \"{MetricNames.ReservedLabelPrefix}\" are for Prometheus' internal use.",
                    nameof(labels));
            }
            if (pair.Value is null)
            {
                throw new ArgumentException($"Exemplar label \"{pair.Name}\" has a null value.", nameof(labels));
            }
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(labels[j].Name, pair.Name, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Exemplar label name \"{pair.Name}\" is repeated.", nameof(labels));
                }
            }
            runes += CountRunes(pair.Name) + CountRunes(pair.Value);
        }
        if (runes > MaxRunes)
        {
            throw new ArgumentException(
                $"Exemplar labels {string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))} are {runes} runes long; OpenMetrics allows at most {MaxRunes}.",
                nameof(labels));
        }
        Labels = new LabelSet(labels);
        Value = value;
        TimestampSeconds = timestampSeconds;
    }

    /// <summary>The exemplar's labels, sorted by name.</summary>
    public LabelSet Labels { get; }

    /// <summary>The observed value.</summary>
    public double Value { get; }

    /// <summary>When it was observed, in seconds since the Unix epoch; null when unknown.</summary>
    public double? TimestampSeconds { get; }

    /// <summary>
    /// <see cref="Environment.TickCount64"/> when it was made: automatic exemplars replace one only after their
    /// provider's interval, an explicit one included.
    /// </summary>
    internal long CreatedTick { get; init; } = Environment.TickCount64;

    private static int CountRunes(string s)
    {
        var count = 0;
        foreach (var _ in s.EnumerateRunes())
        {
            count++;
        }
        return count;
    }
}
