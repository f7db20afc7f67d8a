using System.Buffers;
using System.Globalization;
using System.Text;

namespace Instrumentation.AspNetCore;

/// <summary>
/// A plain Prometheus text 0.0.4 writer used until the core's exposition formats are available; to be removed then.
/// </summary>
internal static class FallbackTextFormat
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void Write(IBufferWriter<byte> writer, IReadOnlyList<MetricFamily> families)
    {
        var sb = new StringBuilder();
        foreach (var family in families)
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help.Replace("\\", "\\\\").Replace("\n", "\\n")).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var point in family.Metrics)
            {
                switch (family.Type)
                {
                    case MetricType.Histogram:
                    case MetricType.GaugeHistogram:
                        foreach (var bucket in point.Buckets)
                        {
                            Sample(sb, family.Name + "_bucket", point.Labels, ("le", Format(bucket.UpperBound)), bucket.CumulativeCount);
                        }
                        Sample(sb, family.Name + "_sum", point.Labels, null, point.Sum);
                        Sample(sb, family.Name + "_count", point.Labels, null, point.Count);
                        break;
                    case MetricType.Summary:
                        foreach (var q in point.Quantiles)
                        {
                            Sample(sb, family.Name, point.Labels, ("quantile", Format(q.Quantile)), q.Value);
                        }
                        Sample(sb, family.Name + "_sum", point.Labels, null, point.Sum);
                        Sample(sb, family.Name + "_count", point.Labels, null, point.Count);
                        break;
                    case MetricType.StateSet:
                        foreach (var state in point.States)
                        {
                            Sample(sb, family.Name, point.Labels, (family.Name, state.Name), state.Enabled ? 1 : 0);
                        }
                        break;
                    default:
                        Sample(sb, family.Name, point.Labels, null, point.Value);
                        break;
                }
            }
        }
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        writer.Write(bytes);
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Histogram => "histogram",
        MetricType.Summary => "summary",
        _ => "untyped",
    };

    private static void Sample(StringBuilder sb, string name, LabelSet labels, (string Name, string Value)? extra, double value)
    {
        sb.Append(name);
        if (labels.Count > 0 || extra is not null)
        {
            sb.Append('{');
            var first = true;
            foreach (var pair in labels)
            {
                Label(sb, pair.Name, pair.Value, ref first);
            }
            if (extra is { } e)
            {
                Label(sb, e.Name, e.Value, ref first);
            }
            sb.Append('}');
        }
        sb.Append(' ').Append(Format(value)).Append('\n');
    }

    private static void Label(StringBuilder sb, string name, string value, ref bool first)
    {
        if (!first)
        {
            sb.Append(',');
        }
        first = false;
        sb.Append(name).Append("=\"").Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")).Append('"');
    }

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);
}
