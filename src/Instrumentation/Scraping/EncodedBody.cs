using System.Buffers;
using System.IO.Compression;
using Instrumentation.Exposition;

namespace Instrumentation.Scraping;

/// <summary>
/// One gathered result written in one format, plain or gzipped: made by the first scrape that needs it and read by
/// every other scrape of the same gather that negotiated the same format and encoding.
/// </summary>
internal sealed class EncodedBody
{
    private readonly object _gate = new();
    private readonly EncodedBody? _plain;
    private bool _done;
    private Exception? _error;
    private ReadOnlyMemory<byte> _bytes;
    private ArrayBufferWriter<byte>? _output;
    private MemoryStream? _gzip;

    /// <param name="format">The format written.</param>
    /// <param name="plain">For a gzipped body, the plain body of the same format it compresses; null for a plain body.</param>
    public EncodedBody(ExpositionFormat format, EncodedBody? plain)
    {
        Format = format;
        _plain = plain;
    }

    public ExpositionFormat Format { get; }

    public bool Gzip => _plain is not null;

    public bool Matches(ExpositionFormat format, bool gzip) =>
        Gzip == gzip && (ReferenceEquals(Format, format) || string.Equals(Format.ContentType, format.ContentType, StringComparison.Ordinal));

    /// <summary>The encoded bytes (encoded now if nobody did yet), or the error encoding met.</summary>
    public bool TryGet(IReadOnlyList<MetricFamily> families, ExpositionOptions options, ScrapePools pools, out ReadOnlyMemory<byte> bytes, out Exception? error)
    {
        // Scrapes of one format wait here for the one that encodes: they would only do the same work.
        lock (_gate)
        {
            if (!_done)
            {
                Encode(families, options, pools);
                _done = true;
            }
            bytes = _bytes;
            error = _error;
        }
        return error is null;
    }

    /// <summary>Gives the storage back; only once no scrape reads the bytes any more.</summary>
    public void Return(ScrapePools pools)
    {
        if (_output is not null)
        {
            pools.Return(_output);
            _output = null;
        }
        if (_gzip is not null)
        {
            pools.Return(_gzip);
            _gzip = null;
        }
        _bytes = default;
    }

    /// <summary>Gives the storage back, with that of the plain body a gzipped one compressed.</summary>
    public void ReturnWithSource(ScrapePools pools)
    {
        Return(pools);
        _plain?.Return(pools);
    }

    private void Encode(IReadOnlyList<MetricFamily> families, ExpositionOptions options, ScrapePools pools)
    {
        try
        {
            if (_plain is null)
            {
                _output = pools.RentOutput();
                ExpositionWriter.Write(_output, families, Format, options);
                _bytes = _output.WrittenMemory;
                return;
            }
            if (!_plain.TryGet(families, options, pools, out var source, out _error))
            {
                return;
            }
            _gzip = pools.RentGzip();
            using (var compressor = new GZipStream(_gzip, CompressionLevel.Fastest, leaveOpen: true))
            {
                compressor.Write(source.Span);
            }
            _bytes = _gzip.GetBuffer().AsMemory(0, (int)_gzip.Length);
        }
        catch (Exception ex)
        {
            _error = ex;
        }
    }
}
