using System.Buffers;

namespace Instrumentation.Exposition;

/// <summary>
/// The encoded text form of a label set (<c>a="1",b="x\"y"</c>, no braces), cached on the <see cref="LabelSet"/>, or
/// for a child of a labelled family in its series key's cache slot (see <see cref="SeriesSchema"/>).
/// </summary>
/// <remarks>
/// A series hands the same label set (or series key) to every scrape, so escaping and transcoding its labels once and
/// copying the bytes afterwards makes a scrape of a steady set of series mostly memcpy. Both text
/// formats escape label values the same way; only the names depend on the escaping scheme, so the scheme is the
/// cache key. The cached object is immutable and replaced wholesale, so concurrent scrapes at worst encode twice.
/// The common case, only the text form for <see cref="EscapingScheme.Underscores"/>, is cached as the bare
/// <see cref="byte"/> array (no wrapping object): one object and one memory load less per series and scrape.
/// </remarks>
internal sealed class LabelEncoding
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private LabelEncoding(EscapingScheme scheme, byte[]? text, byte[]? protobuf)
    {
        Scheme = scheme;
        Text = text;
        Protobuf = protobuf;
    }

    public EscapingScheme Scheme { get; }

    /// <summary>The text form, or null when not encoded yet.</summary>
    public byte[]? Text { get; }

    /// <summary>The protobuf form (repeated <c>LabelPair</c> fields numbered 1), or null when not encoded yet.</summary>
    public byte[]? Protobuf { get; }

    /// <summary>Returns the text encoding of <paramref name="labels"/> for <paramref name="scheme"/>, encoding on first use.</summary>
    public static byte[] Get(LabelSet labels, EscapingScheme scheme) =>
        labels.Count == 0 ? [] : GetText(ref labels.EncodedCache, labels, null, null, scheme);

    /// <summary>As <see cref="Get(LabelSet, EscapingScheme)"/> for the point's labels, using what the gather noted.</summary>
    public static byte[] Get(MetricPoint point, EscapingScheme scheme)
    {
        if (scheme == EscapingScheme.Underscores && point.NotedLabelEncoding is { } noted)
        {
            return noted;
        }
        return point.SeriesKey is { } key ? Get(point.SeriesSchema!, key, scheme) : Get(point.Labels, scheme);
    }

    /// <summary>As <see cref="GetProtobuf(LabelSet, EscapingScheme)"/> for the point's labels.</summary>
    public static byte[] GetProtobuf(MetricPoint point, EscapingScheme scheme) =>
        point.SeriesKey is { } key ? GetProtobuf(point.SeriesSchema!, key, scheme) : GetProtobuf(point.Labels, scheme);

    /// <summary>
    /// The text encoding of a series noted by its schema and key (see <see cref="SeriesSchema"/>), cached in the
    /// key's slot as it would be on a label set — or on the series' label set, once one was built and put there.
    /// </summary>
    private static byte[] Get(SeriesSchema schema, object?[] key, EscapingScheme scheme) =>
        GetText(ref schema.Cache(key), null, schema, key, scheme);

    private static byte[] GetProtobuf(SeriesSchema schema, object?[] key, EscapingScheme scheme) =>
        GetProtobuf(ref schema.Cache(key), null, schema, key, scheme);

    /// <summary>
    /// The text encoding cached in <paramref name="slot"/> (a label set's <see cref="LabelSet.EncodedCache"/> or a
    /// series key's slot), encoded from the label set or from schema + key on first use.
    /// </summary>
    private static byte[] GetText(ref object? slot, LabelSet? labels, SeriesSchema? schema, object?[]? key, EscapingScheme scheme)
    {
        var cache = Volatile.Read(ref slot);
        if (cache is LabelSet built)
        {
            return Get(built, scheme); // a series whose label set was built keeps its encodings on that set
        }
        if (cache is byte[] plain && scheme == EscapingScheme.Underscores)
        {
            return plain;
        }
        var cached = cache as LabelEncoding;
        if (cached is { Text: { } text } && cached.Scheme == scheme)
        {
            return text;
        }
        var bytes = Encode(labels is not null ? labels.AsSpan() : Pairs(schema!, key!), scheme);
        var protobuf = cached?.Scheme == scheme ? cached.Protobuf : null;
        // Compare-and-swap: never over a label set put in a series key's slot meanwhile (the encodings then belong on it).
        Interlocked.CompareExchange(ref slot, scheme == EscapingScheme.Underscores && protobuf is null ? bytes : new LabelEncoding(scheme, bytes, protobuf), cache);
        return bytes;
    }

    /// <summary>As <see cref="GetText"/> for the protobuf encoding.</summary>
    private static byte[] GetProtobuf(ref object? slot, LabelSet? labels, SeriesSchema? schema, object?[]? key, EscapingScheme scheme)
    {
        var cache = Volatile.Read(ref slot);
        if (cache is LabelSet built)
        {
            return GetProtobuf(built, scheme);
        }
        var cached = cache as LabelEncoding;
        if (cached is { Protobuf: { } protobuf } && cached.Scheme == scheme)
        {
            return protobuf;
        }
        var bytes = EncodeProtobuf(labels is not null ? labels.AsSpan() : Pairs(schema!, key!), scheme);
        var text = cache is byte[] plain && scheme == EscapingScheme.Underscores ? plain
            : cached?.Scheme == scheme ? cached.Text
            : null;
        Interlocked.CompareExchange(ref slot, new LabelEncoding(scheme, text, bytes), cache);
        return bytes;
    }

    /// <summary>The series' label pairs, sorted by name, in a per-thread scratch array (valid until the next call).</summary>
    private static ReadOnlySpan<LabelPair> Pairs(SeriesSchema schema, object?[] key)
    {
        var count = schema.PairCount;
        var pairs = t_pairs is { } scratch && scratch.Length >= count ? scratch : t_pairs = new LabelPair[Math.Max(count, 16)];
        schema.FillPairs(key, pairs);
        return pairs.AsSpan(0, count);
    }

    [ThreadStatic]
    private static LabelPair[]? t_pairs;

    /// <summary>Returns the protobuf encoding of <paramref name="labels"/> for <paramref name="scheme"/>, encoding on first use.</summary>
    public static byte[] GetProtobuf(LabelSet labels, EscapingScheme scheme) =>
        labels.Count == 0 ? [] : GetProtobuf(ref labels.EncodedCache, labels, null, null, scheme);

    private static byte[] EncodeProtobuf(ReadOnlySpan<LabelPair> labels, EscapingScheme scheme)
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var output = new Utf8Output(scratch);
        foreach (var pair in labels)
        {
            ProtobufFormat.WriteLabelPair(ref output, 1, NameEscaping.EscapeLabelName(pair.Name, scheme), pair.Value);
        }
        output.Flush();
        return scratch.WrittenSpan.ToArray();
    }

    private static byte[] Encode(ReadOnlySpan<LabelPair> labels, EscapingScheme scheme)
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var output = new Utf8Output(scratch);
        var first = true;
        foreach (var pair in labels)
        {
            if (!first)
            {
                output.WriteByte((byte)',');
            }
            first = false;
            TextPrimitives.WriteLabelName(ref output, NameEscaping.EscapeLabelName(pair.Name, scheme));
            output.WriteByte((byte)'=');
            output.WriteByte((byte)'"');
            TextPrimitives.WriteEscaped(ref output, pair.Value, escapeQuotes: true);
            output.WriteByte((byte)'"');
        }
        output.Flush();
        return scratch.WrittenSpan.ToArray();
    }
}
