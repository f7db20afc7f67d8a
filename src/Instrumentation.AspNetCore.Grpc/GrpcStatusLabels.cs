using Grpc.AspNetCore.Server;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace Instrumentation.AspNetCore.Grpc;

/// <summary>The <c>status</c> label of a finished call: the name of the gRPC status code the server sent.</summary>
internal static class GrpcStatusLabels
{
    private const string StatusHeader = "grpc-status";

    /// <summary><see cref="StatusCode"/>'s names by value (0 to 16), written out so that no reflection is needed.</summary>
    private static readonly string[] Names =
    [
        nameof(StatusCode.OK), nameof(StatusCode.Cancelled), nameof(StatusCode.Unknown), nameof(StatusCode.InvalidArgument),
        nameof(StatusCode.DeadlineExceeded), nameof(StatusCode.NotFound), nameof(StatusCode.AlreadyExists),
        nameof(StatusCode.PermissionDenied), nameof(StatusCode.ResourceExhausted), nameof(StatusCode.FailedPrecondition),
        nameof(StatusCode.Aborted), nameof(StatusCode.OutOfRange), nameof(StatusCode.Unimplemented), nameof(StatusCode.Internal),
        nameof(StatusCode.Unavailable), nameof(StatusCode.DataLoss), nameof(StatusCode.Unauthenticated),
    ];

    /// <summary>The label of a status code: its name, or <c>Unknown</c> for a number gRPC does not define.</summary>
    public static string Of(StatusCode code) => (uint)code < (uint)Names.Length ? Names[(int)code] : nameof(StatusCode.Unknown);

    /// <summary>
    /// The status the call ended with. A call whose request was aborted — the client cancelled it, its deadline passed
    /// on the client first, or the connection dropped — never got the status the server wrote (for the exception the
    /// aborted call caused, that is <c>Unknown</c>): it is <c>DeadlineExceeded</c> when the call's deadline has passed,
    /// else <c>Cancelled</c>. Otherwise it is the status the server sent: the <c>grpc-status</c> trailer or — for a
    /// "trailers-only" response, an error before any message — the header of that name; <c>Unknown</c> when neither
    /// was written.
    /// </summary>
    public static string Read(HttpContext context)
    {
        if (context.RequestAborted.IsCancellationRequested)
        {
            var call = context.Features.Get<IServerCallContextFeature>()?.ServerCallContext;
            return call is not null && call.Deadline <= DateTime.UtcNow ? nameof(StatusCode.DeadlineExceeded) : nameof(StatusCode.Cancelled);
        }
        var value = StringValues.Empty;
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (trailers is not null)
        {
            value = trailers[StatusHeader];
        }
        if (value.Count == 0)
        {
            value = context.Response.Headers[StatusHeader];
        }
        return value.Count == 1 && int.TryParse(value[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? Of((StatusCode)code)
            : nameof(StatusCode.Unknown);
    }
}
