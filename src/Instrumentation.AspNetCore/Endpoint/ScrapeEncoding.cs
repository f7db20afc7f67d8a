using System.Buffers;
using Instrumentation.Exposition;

namespace Instrumentation.AspNetCore;

/// <summary>
/// The endpoint's one seam to the exposition formats: negotiation, the gzip decision and writing, all delegated to
/// <see cref="ExpositionWriter"/> with the endpoint's options.
/// </summary>
internal static class ScrapeEncoding
{
    public static ExpositionOptions ToExpositionOptions(MetricsEndpointOptions options) => new()
    {
        EnableOpenMetrics = options.EnableOpenMetrics,
        EnableProtobuf = options.EnableProtobuf,
        OpenMetricsCreatedSamples = options.OpenMetricsCreatedSamples,
    };

    public static ExpositionFormat Negotiate(string? acceptHeader, ExpositionOptions options) =>
        ExpositionWriter.Negotiate(acceptHeader, options);

    public static bool AcceptsGzip(string? acceptEncodingHeader) => ExpositionWriter.AcceptsGzip(acceptEncodingHeader);

    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, ExpositionFormat format, ExpositionOptions options) =>
        ExpositionWriter.Write(writer, families, format, options);
}
