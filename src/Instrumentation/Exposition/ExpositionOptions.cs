namespace Instrumentation.Exposition;

/// <summary>What a metrics endpoint may offer and how it writes what it offers.</summary>
public sealed class ExpositionOptions
{
    /// <summary>Whether OpenMetrics text may be negotiated. Default: true.</summary>
    public bool EnableOpenMetrics { get; set; } = true;

    /// <summary>Whether the protobuf format may be negotiated. Default: true.</summary>
    public bool EnableProtobuf { get; set; } = true;

    /// <summary>
    /// Whether OpenMetrics output carries <c>_created</c> samples for counters, histograms and summaries that know
    /// their creation time. Default: true. Turn off for scrapers that would store every <c>_created</c> sample as a
    /// series of its own.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; } = true;
}
