using System.Globalization;
using System.Text.Json;
using Instrumentation;
using Instrumentation.Exposition;
using Instrumentation.Tests.Exposition;

namespace Fixture;

/// <summary>
/// A sample of the hostile label values HostileLabelValueTests round-trips through our own parsers (same generator,
/// same seed): 600 short values and one 1 MB string in a gauge family <c>fixture_hostile_labels{i, v}</c>, the value of
/// each series being its index. checks/check_hostile.py reads them back with the Python parsers; run.sh's soak
/// section also gives the text to promtool.
/// </summary>
internal static class HostileSample
{
    private const int Seed = 20261207;

    public static void Write(string directory)
    {
        var values = HostileValues.Generate(new Random(Seed), 600, megabyteStrings: 1);
        var registry = new Registry();
        var vec = new GaugeVec(new GaugeOptions { Name = "fixture_hostile_labels", Help = "Generated hostile label values, by index." }, ["i", "v"]);
        registry.Register(vec);
        for (var i = 0; i < values.Length; i++)
        {
            vec.WithLabels(i.ToString(CultureInfo.InvariantCulture), values[i]).Set(i);
        }
        Directory.CreateDirectory(directory);
        var families = registry.Gather();
        using (var stream = File.Create(Path.Combine(directory, "hostile.txt")))
        {
            TextFormat.Write(stream, families);
        }
        using (var stream = File.Create(Path.Combine(directory, "hostile.om.txt")))
        {
            OpenMetricsFormat.Write(stream, families);
        }
        using (var stream = File.Create(Path.Combine(directory, "hostile.pb")))
        {
            ProtobufFormat.Write(stream, families);
        }
        // JSON escapes every non-ASCII character as \uXXXX (astral ones as a surrogate pair), which Python decodes exactly.
        File.WriteAllText(Path.Combine(directory, "hostile-expected.json"), JsonSerializer.Serialize(values));
    }
}
