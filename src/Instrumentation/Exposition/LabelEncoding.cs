using System.Buffers;

namespace Instrumentation.Exposition;

/// <summary>
/// The encoded text form of a label set (<c>a="1",b="x\"y"</c>, no braces), cached on the <see cref="LabelSet"/>.
/// </summary>
/// <remarks>
/// A metric child hands the same <see cref="LabelSet"/> instance to every scrape, so escaping and transcoding its
/// labels once and copying the bytes afterwards makes a scrape of a steady set of series mostly memcpy. Both text
/// formats escape label values the same way; only the names depend on the escaping scheme, so the scheme is the
/// cache key. The cached object is immutable and replaced wholesale, so concurrent scrapes at worst encode twice.
/// </remarks>
internal sealed class LabelEncoding
{
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_scratch;

    private LabelEncoding(EscapingScheme scheme, byte[] bytes)
    {
        Scheme = scheme;
        Bytes = bytes;
    }

    public EscapingScheme Scheme { get; }

    public byte[] Bytes { get; }

    /// <summary>Returns the encoded labels of <paramref name="labels"/> for <paramref name="scheme"/>, encoding them on first use.</summary>
    public static byte[] Get(LabelSet labels, EscapingScheme scheme)
    {
        if (labels.Count == 0)
        {
            return [];
        }
        if (labels.EncodedCache is LabelEncoding cached && cached.Scheme == scheme)
        {
            return cached.Bytes;
        }
        var bytes = Encode(labels, scheme);
        labels.EncodedCache = new LabelEncoding(scheme, bytes);
        return bytes;
    }

    private static byte[] Encode(LabelSet labels, EscapingScheme scheme)
    {
        var scratch = t_scratch ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        var output = new Utf8Output(scratch);
        var first = true;
        foreach (var pair in labels.AsSpan())
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
