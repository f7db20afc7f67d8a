using System.Buffers;

namespace Instrumentation.AspNetCore;

/// <summary>
/// The endpoint's one seam to the exposition formats: negotiation, the gzip decision and writing. Everything the
/// middleware knows about formats goes through here.
/// </summary>
internal static class ScrapeEncoding
{
    public static NegotiatedFormat Negotiate(string? acceptHeader, MetricsEndpointOptions options)
    {
        _ = acceptHeader;
        _ = options;
        return new NegotiatedFormat(FallbackTextFormat.ContentType);
    }

    public static bool AcceptsGzip(string? acceptEncodingHeader)
    {
        if (string.IsNullOrEmpty(acceptEncodingHeader))
        {
            return false;
        }
        foreach (var part in acceptEncodingHeader.Split(','))
        {
            var coding = part.Split(';');
            if (coding[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)
                && !(coding.Length > 1 && coding[1].Trim().Replace(" ", "") is "q=0" or "q=0.0" or "q=0.00" or "q=0.000"))
            {
                return true;
            }
        }
        return false;
    }

    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families, NegotiatedFormat format, MetricsEndpointOptions options)
    {
        _ = format;
        _ = options;
        FallbackTextFormat.Write(writer, families);
    }
}

/// <summary>The format chosen for one scrape.</summary>
internal readonly record struct NegotiatedFormat(string ContentType);
