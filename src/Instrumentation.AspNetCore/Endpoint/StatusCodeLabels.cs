namespace Instrumentation.AspNetCore;

/// <summary>Status codes as label values, made once, so recording a response allocates no string.</summary>
internal static class StatusCodeLabels
{
    private static readonly string[] Labels = Enumerable.Range(0, 600).Select(static c => c.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();

    public static string Of(int statusCode) =>
        (uint)statusCode < (uint)Labels.Length ? Labels[statusCode] : statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
