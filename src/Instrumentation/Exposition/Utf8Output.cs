using System.Buffers;
using System.Text.Unicode;

namespace Instrumentation.Exposition;

/// <summary>
/// A forward-only UTF-8 writer over an <see cref="IBufferWriter{T}"/> that asks the buffer writer for memory in
/// chunks, so formatters write bytes straight into the response buffer without building strings.
/// </summary>
/// <remarks>Call <see cref="Flush"/> when done: bytes written since the last flush are not yet committed.</remarks>
internal ref struct Utf8Output
{
    private const int ChunkSize = 4096;

    private readonly IBufferWriter<byte> _writer;
    private Span<byte> _span;
    private int _buffered;

    public Utf8Output(IBufferWriter<byte> writer)
    {
        _writer = writer;
        _span = default;
        _buffered = 0;
    }

    /// <summary>Returns a span of at least <paramref name="size"/> free bytes; commit what was used with <see cref="Advance"/>.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_span.Length - _buffered < size)
        {
            Renew(size);
        }
        return _span[_buffered..];
    }

    public void Advance(int count) => _buffered += count;

    public void WriteByte(byte value)
    {
        if (_buffered == _span.Length)
        {
            Renew(1);
        }
        _span[_buffered++] = value;
    }

    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        while (true)
        {
            var free = _span.Length - _buffered;
            if (bytes.Length <= free)
            {
                bytes.CopyTo(_span[_buffered..]);
                _buffered += bytes.Length;
                return;
            }
            bytes[..free].CopyTo(_span[_buffered..]);
            _buffered += free;
            bytes = bytes[free..];
            Renew(1);
        }
    }

    /// <summary>Writes UTF-16 text as UTF-8 (a lone surrogate becomes U+FFFD).</summary>
    public void WriteUtf8(scoped ReadOnlySpan<char> text)
    {
        // Fast path for the usual ASCII name: one transcoding call into the current chunk.
        while (!text.IsEmpty)
        {
            if (_span.Length - _buffered < 4)
            {
                Renew(Math.Min(text.Length * 3, ChunkSize));
            }
            Utf8.FromUtf16(text, _span[_buffered..], out var read, out var written, true, true);
            _buffered += written;
            text = text[read..];
            if (!text.IsEmpty)
            {
                Renew(Math.Min(text.Length * 3, ChunkSize));
            }
        }
    }

    /// <summary>Writes an integer in decimal.</summary>
    public void WriteInt64(long value)
    {
        var span = GetSpan(20);
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _buffered += written;
    }

    /// <summary>Writes an unsigned integer in decimal.</summary>
    public void WriteUInt64(ulong value)
    {
        var span = GetSpan(20);
        value.TryFormat(span, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _buffered += written;
    }

    /// <summary>Commits everything written so far to the underlying buffer writer.</summary>
    public void Flush()
    {
        if (_buffered > 0)
        {
            _writer.Advance(_buffered);
        }
        _buffered = 0;
        _span = default;
    }

    private void Renew(int size)
    {
        if (_buffered > 0)
        {
            _writer.Advance(_buffered);
        }
        _buffered = 0;
        _span = _writer.GetSpan(Math.Max(size, ChunkSize));
    }
}
