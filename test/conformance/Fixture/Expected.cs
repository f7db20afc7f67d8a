using System.Globalization;
using System.Text.Json;

namespace Fixture;

/// <summary>
/// What the fixture recorded, kept independently of the library: the checks compare every parsed sample against
/// this, so a formatter bug cannot hide behind a gatherer bug (or the other way round).
/// </summary>
internal sealed class Expected
{
    private readonly Dictionary<string, FamilyRecord> _families = new(StringComparer.Ordinal);

    /// <summary>Declares a family: its name as described (a counter's keeps <c>_total</c>), type, help and unit.</summary>
    public void Family(string name, string type, string help, string? unit = null) =>
        _families.Add(name, new FamilyRecord(name, type, help, unit));

    /// <summary>Forgets a family and its samples (for an output that cannot carry it).</summary>
    public void Remove(string family)
    {
        if (!_families.Remove(family))
        {
            throw new ArgumentException($"No family {family} was recorded.", nameof(family));
        }
    }

    /// <summary>
    /// Records one sample. <paramref name="sampleName"/> is the name as the text format writes it (<c>x_total</c>,
    /// <c>x_bucket</c>, <c>x_info</c>...). <paramref name="created"/> is the window the series' creation time must fall
    /// in, null when the series has none.
    /// </summary>
    public Sample Add(string family, string sampleName, IReadOnlyDictionary<string, string> labels, double value,
        bool created = false, double? createdAt = null, long? timestampMs = null, (double Low, double High)? range = null)
    {
        var sample = new Sample(this, sampleName, new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal), value,
            created || createdAt is not null, createdAt, timestampMs, range);
        _families[family].Samples.Add(sample);
        return sample;
    }

    /// <summary>When the live series (counters, histograms) were created: between the fixture's start and the end of its set-up.</summary>
    public (double From, double To) CreatedWindow { get; set; }

    public void WriteJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteStartArray("families");
        foreach (var family in _families.Values.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", family.Name);
            json.WriteString("type", family.Type);
            json.WriteString("help", family.Help);
            if (family.Unit is null)
            {
                json.WriteNull("unit");
            }
            else
            {
                json.WriteString("unit", family.Unit);
            }
            json.WriteStartArray("samples");
            foreach (var sample in family.Samples)
            {
                sample.WriteJson(json);
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>Doubles as round-trip strings: JSON has no NaN or infinities, and Python's float() reads these back exactly.</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed record FamilyRecord(string Name, string Type, string Help, string? Unit)
    {
        public List<Sample> Samples { get; } = [];
    }

    /// <remarks>A sample with a <c>range</c> (a summary quantile, an estimate) must lie in it rather than equal <c>value</c>.</remarks>
    public sealed class Sample(Expected owner, string name, SortedDictionary<string, string> labels, double value, bool created, double? createdAt, long? timestampMs,
        (double Low, double High)? range)
    {
        private ExemplarRecord? _exemplar;

        /// <summary>Records the exemplar this sample must carry; its timestamp exact or within a window.</summary>
        public Sample WithExemplar(IReadOnlyDictionary<string, string> labels, double value, double timestampFrom, double timestampTo)
        {
            _exemplar = new ExemplarRecord(labels, value, timestampFrom, timestampTo);
            return this;
        }

        public void WriteJson(Utf8JsonWriter json)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteStartObject("labels");
            foreach (var (k, v) in labels)
            {
                json.WriteString(k, v);
            }
            json.WriteEndObject();
            json.WriteString("value", Number(value));
            if (range is { } r)
            {
                json.WriteStartArray("range");
                json.WriteStringValue(Number(r.Low));
                json.WriteStringValue(Number(r.High));
                json.WriteEndArray();
            }
            if (created)
            {
                var window = createdAt is { } at ? (From: at, To: at) : owner.CreatedWindow;
                json.WriteStartArray("created");
                json.WriteStringValue(Number(window.From));
                json.WriteStringValue(Number(window.To));
                json.WriteEndArray();
            }
            if (timestampMs is { } ms)
            {
                json.WriteNumber("timestamp_ms", ms);
            }
            if (_exemplar is { } e)
            {
                json.WriteStartObject("exemplar");
                json.WriteStartObject("labels");
                foreach (var (k, v) in e.Labels.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(k, v);
                }
                json.WriteEndObject();
                json.WriteString("value", Number(e.Value));
                json.WriteStartArray("timestamp");
                json.WriteStringValue(Number(e.From));
                json.WriteStringValue(Number(e.To));
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }

        private sealed record ExemplarRecord(IReadOnlyDictionary<string, string> Labels, double Value, double From, double To);
    }
}
