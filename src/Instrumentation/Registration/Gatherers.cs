namespace Instrumentation;

/// <summary>
/// Merges the output of several gatherers into one, applying the same consistency rules as a single
/// <see cref="Registry"/> (families of the same name must agree on help and type; no series twice).
/// </summary>
public sealed class Gatherers : IGatherer
{
    private readonly IGatherer[] _gatherers;
    private readonly NameValidationScheme _scheme;

    /// <summary>Creates a gatherer over <paramref name="gatherers"/>.</summary>
    public Gatherers(params IGatherer[] gatherers)
        : this(NameValidationScheme.Legacy, gatherers)
    {
    }

    /// <summary>Creates a gatherer over <paramref name="gatherers"/> that validates names under <paramref name="scheme"/>.</summary>
    public Gatherers(NameValidationScheme scheme, params IGatherer[] gatherers)
    {
        ArgumentNullException.ThrowIfNull(gatherers);
        _gatherers = [.. gatherers];
        _scheme = scheme;
    }

    /// <inheritdoc />
    public IReadOnlyList<MetricFamily> Gather()
    {
        var buffer = new GatherBuffer();
        buffer.Begin();
        var accumulator = new FamilyAccumulator(_scheme, buffer);
        foreach (var gatherer in _gatherers)
        {
            IReadOnlyList<MetricFamily> families;
            try
            {
                families = gatherer.Gather();
            }
            catch (GatherException ex)
            {
                accumulator.Errors.AddRange(ex.Errors);
                families = ex.Families;
            }
            catch (Exception ex)
            {
                accumulator.Errors.Add($"Gatherer {gatherer.GetType().Name} failed: {ex.GetType().Name}: {ex.Message}");
                continue;
            }
            foreach (var family in families)
            {
                foreach (var point in family.Metrics)
                {
                    accumulator.AddPoint(family.Name, family.Help, family.Type, family.Unit, point);
                }
            }
        }
        try
        {
            return accumulator.Build();
        }
        finally
        {
            buffer.End();
        }
    }
}
