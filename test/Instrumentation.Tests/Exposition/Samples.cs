using System.Buffers;
using System.Text;
using Instrumentation.Exposition;

namespace Instrumentation.Tests.Exposition;

/// <summary>Builders for gathered families, so golden tests read like the exposition they expect.</summary>
internal static class Samples
{
    public static LabelSet Labels(params (string Name, string Value)[] pairs) =>
        pairs.Length == 0 ? LabelSet.Empty : new LabelSet(pairs.Select(p => new LabelPair(p.Name, p.Value)));

    public static MetricPoint Point(double value, params (string Name, string Value)[] labels) =>
        new() { Labels = Labels(labels), Value = value };

    public static MetricFamily Family(string name, string help, MetricType type, params MetricPoint[] points) =>
        new(name, help, type, points);

    public static string Text(params MetricFamily[] families)
    {
        var buffer = new ArrayBufferWriter<byte>();
        TextFormat.Write(buffer, families);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

}
