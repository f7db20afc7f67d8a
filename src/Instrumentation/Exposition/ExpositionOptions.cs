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
    /// their creation time. Default: false, as in client_golang since v1.21: a Prometheus server without its
    /// created-timestamps feature stores every <c>_created</c> line as a series of its own (one more series per counter,
    /// histogram and summary series). The protobuf format carries creation times whatever this says (the way
    /// Prometheus 3 reads them); the text format 0.0.4 never does.
    /// </summary>
    public bool OpenMetricsCreatedSamples { get; set; }
}
