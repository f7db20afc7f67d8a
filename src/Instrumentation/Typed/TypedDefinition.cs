namespace Instrumentation;

/// <summary>
/// Reads and checks a typed metric definition through its generic parameter (no reflection), and turns every
/// problem into one <see cref="InvalidOperationException"/> that names the definition type and the rule broken.
/// </summary>
internal static class TypedDefinition
{
    public static TOptions Options<TDefinition, TOptions>(TOptions options)
        where TDefinition : IMetricDefinition
        where TOptions : MetricOptions
    {
        var name = TDefinition.Name;
        var help = TDefinition.Help;
        var labels = TDefinition.LabelNames;
        if (string.IsNullOrEmpty(name))
        {
            throw Invalid<TDefinition>("its Name is empty.");
        }
        if (!MetricNames.IsValidMetricName(name))
        {
            throw Invalid<TDefinition>($"its Name \"{name}\" is not a valid metric name: it must match ^[a-zA-Z_:][a-zA-Z0-9_:]*$.");
        }
        if (string.IsNullOrWhiteSpace(help))
        {
            throw Invalid<TDefinition>($"its Help is empty; every metric (\"{name}\") needs a help text.");
        }
        if (labels is null)
        {
            throw Invalid<TDefinition>("its LabelNames is null; leave it out (or return []) for a metric without labels.");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var label in labels)
        {
            if (label is null || !MetricNames.IsValidLabelName(label))
            {
                throw Invalid<TDefinition>($"its label name \"{label}\" is not valid: it must match ^[a-zA-Z_][a-zA-Z0-9_]*$.");
            }
            if (MetricNames.IsReservedLabelName(label))
            {
                throw Invalid<TDefinition>($"its label name \"{label}\" uses the reserved prefix \"__\".");
            }
            if (!seen.Add(label))
            {
                throw Invalid<TDefinition>($"its label name \"{label}\" is declared twice.");
            }
        }
        options.Name = name;
        options.Help = help;
        options.Unit = TDefinition.Unit;
        options.MaxSeries = TDefinition.MaxSeries;
        options.ExpireAfter = TDefinition.ExpireAfter;
        return options;
    }

    /// <summary>Runs the creation, turning a failure into an exception that names the definition.</summary>
    public static T Create<TDefinition, T>(Func<string, T> create)
        where TDefinition : IMetricDefinition
    {
        try
        {
            return create(Origin<TDefinition>());
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith(Prefix<TDefinition>(), StringComparison.Ordinal))
        {
            throw;
        }
        catch (ArgumentException ex)
        {
            throw Invalid<TDefinition>(ex.Message, ex);
        }
    }

    public static string Origin<TDefinition>() => "definition " + typeof(TDefinition).FullName;

    public static InvalidOperationException Invalid<TDefinition>(string rule, Exception? inner = null) =>
        new(Prefix<TDefinition>() + rule, inner);

    private static string Prefix<TDefinition>() => $"Metric definition {typeof(TDefinition).FullName} is invalid: ";

    public static InvalidOperationException NeedsLabels(string metricName, IReadOnlyList<string> labelNames, Type definition) =>
        new($"Metric \"{metricName}\" (definition {definition.FullName}) has labels ({string.Join(", ", labelNames)}): pick a series with WithLabels(...) first.");

    public static ArgumentException NoLabels(string metricName, int given, Type definition) =>
        new($"Metric \"{metricName}\" (definition {definition.FullName}) declares no labels but WithLabels got {given} values.", "values");
}
