using System.Globalization;

namespace Instrumentation.Exposition;

/// <summary>
/// A lenient parser for HTTP <c>Accept</c> and <c>Accept-Encoding</c> headers: media ranges with parameters and
/// quality values, best first. Malformed entries are dropped rather than reported, because a scrape must never fail
/// over its headers.
/// </summary>
internal static class AcceptHeader
{
    /// <summary>One media range of an Accept header.</summary>
    internal sealed record MediaRange(string Type, string SubType, double Quality, IReadOnlyDictionary<string, string> Parameters, int Position)
    {
        public string? Parameter(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

        /// <summary>Exact types beat <c>type/*</c>, which beats <c>*/*</c>.</summary>
        public int Specificity => Type == "*" ? 0 : SubType == "*" ? 1 : 2;
    }

    /// <summary>Parses an Accept header into the acceptable media ranges (q &gt; 0), most preferred first.</summary>
    public static List<MediaRange> Parse(string? header)
    {
        var ranges = new List<MediaRange>();
        if (string.IsNullOrWhiteSpace(header))
        {
            return ranges;
        }
        var position = 0;
        foreach (var part in header.Split(','))
        {
            var segments = part.Split(';');
            var mediaRange = segments[0].Trim();
            var slash = mediaRange.IndexOf('/');
            if (slash <= 0 || slash == mediaRange.Length - 1 || mediaRange.IndexOf('/', slash + 1) >= 0)
            {
                continue;
            }
            var type = mediaRange[..slash].Trim().ToLowerInvariant();
            var subType = mediaRange[(slash + 1)..].Trim().ToLowerInvariant();
            if (type.Length == 0 || subType.Length == 0 || (type == "*" && subType != "*"))
            {
                continue;
            }
            if (!TryParseParameters(segments.AsSpan(1), out var quality, out var parameters) || quality <= 0)
            {
                continue;
            }
            ranges.Add(new MediaRange(type, subType, quality, parameters, position++));
        }
        // Stable: equal quality and specificity keep the order the client wrote them in.
        ranges.Sort(static (a, b) =>
        {
            var byQuality = b.Quality.CompareTo(a.Quality);
            if (byQuality != 0)
            {
                return byQuality;
            }
            var bySpecificity = b.Specificity.CompareTo(a.Specificity);
            return bySpecificity != 0 ? bySpecificity : a.Position.CompareTo(b.Position);
        });
        return ranges;
    }

    /// <summary>Parses the <c>;key=value</c> parameters of one entry; false when its <c>q</c> is malformed.</summary>
    public static bool TryParseParameters(ReadOnlySpan<string> segments, out double quality, out Dictionary<string, string> parameters)
    {
        quality = 1;
        parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var segment in segments)
        {
            var trimmed = segment.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            var equals = trimmed.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }
            var key = trimmed[..equals].Trim().ToLowerInvariant();
            var value = trimmed[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }
            if (key == "q")
            {
                if (!double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out quality) || quality > 1)
                {
                    return false;
                }
                continue;
            }
            parameters[key] = value;
        }
        return true;
    }
}
