using System.Text.Json;
using Instrumentation;
using Microsoft.AspNetCore.Mvc;
using SentryCa.Ca;
using SentryCa.Metrics;

namespace SentryCa.Endpoints;

/// <summary>
/// <c>POST /v1/sign</c>: signs a workload CSR. Every request counts in <c>sentry_cert_sign_request_received_total</c>,
/// then either in <c>sentry_cert_sign_success_total</c> or in <c>sentry_cert_sign_failure_total{reason}</c>.
/// </summary>
public static class SignEndpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the endpoint.</summary>
    public static IEndpointConventionBuilder MapSign(this IEndpointRouteBuilder endpoints, string pattern = "/v1/sign") =>
        endpoints.MapPost(pattern, HandleAsync);

    // The body is read by hand, not bound: a request that is not even JSON must still be counted as received and
    // answered with insufficient_data, not rejected by the framework before the handler runs.
    private static async Task<IResult> HandleAsync(HttpRequest http, [FromServices] CsrSigner signer, [FromServices] IssuerStore store,
        [FromServices] ICounter<CertSignRequestsReceived> received, [FromServices] ICounter<CertSignSucceeded> succeeded,
        [FromServices] ICounter<CertSignFailed> failed, [FromServices] ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        received.Inc();
        var outcome = await ReadAsync(http, cancellationToken) is { } request
            ? signer.Sign(request.Csr, request.Identity, request.TtlSeconds, store.Current)
            : SignOutcome.Failed(SignFailureReason.InsufficientData, "The body must be a JSON object with csr, identity and ttlSeconds.");

        if (outcome.Succeeded)
        {
            succeeded.Inc();
            return Results.Ok(new SignResponse(outcome.CertificateChainPem!));
        }
        failed.WithLabels(outcome.FailureReason!).Inc();
        loggers.CreateLogger(typeof(SignEndpoint)).LogWarning("CSR refused ({Reason}): {Detail}", outcome.FailureReason, outcome.Detail);
        return Results.BadRequest(new SignFailure(outcome.FailureReason!, outcome.Detail!));
    }

    private static async Task<SignRequest?> ReadAsync(HttpRequest http, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync<SignRequest>(http.Body, Json, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
