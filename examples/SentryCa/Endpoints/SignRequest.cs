namespace SentryCa.Endpoints;

/// <summary>The body of <c>POST /v1/sign</c>.</summary>
/// <param name="Csr">The PEM certificate signing request.</param>
/// <param name="Identity">The SPIFFE ID asked for: <c>spiffe://&lt;trust-domain&gt;/ns/&lt;namespace&gt;/&lt;app-id&gt;</c>.</param>
/// <param name="TtlSeconds">Requested lifetime in seconds; cut to <c>Sentry:MaxTtlSeconds</c>.</param>
public sealed record SignRequest(string? Csr, string? Identity, long? TtlSeconds);

/// <summary>The 200 answer: the issued chain, workload certificate first, then the issuer.</summary>
public sealed record SignResponse(string CertificateChain);

/// <summary>The 400 answer: the failure reason recorded in <c>sentry_cert_sign_failure_total</c>, and why.</summary>
public sealed record SignFailure(string Reason, string Detail);
