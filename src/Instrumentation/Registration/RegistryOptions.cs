namespace Instrumentation;

/// <summary>Options of a <see cref="Registry"/>.</summary>
public sealed class RegistryOptions
{
    /// <summary>Which metric and label names are accepted. Default: <see cref="NameValidationScheme.Legacy"/>.</summary>
    public NameValidationScheme NameValidation { get; set; } = NameValidationScheme.Legacy;

    /// <summary>
    /// Labels added to every series of every collector registered with the registry (an instance or environment
    /// label, say). A collector that already has one of these labels fails to register.
    /// </summary>
    public IDictionary<string, string> ConstLabels { get; set; } = new Dictionary<string, string>();

    /// <summary>
    /// The exemplars counters and histograms registered with this registry attach by themselves, unless their options
    /// name their own. Null (the default) leaves them at <see cref="ExemplarProvider.SampledTraces"/>;
    /// <see cref="ExemplarProvider.None"/> turns automatic exemplars off.
    /// </summary>
    public ExemplarProvider? Exemplars { get; set; }
}
