namespace SentryCa.Ca;

/// <summary>
/// The <c>reason</c> label values of <c>sentry_cert_sign_failure_total</c>, one per failure path (Dapr's Sentry's names).
/// </summary>
public static class SignFailureReason
{
    /// <summary>The request lacks the CSR, the identity or a usable TTL, or is not JSON at all.</summary>
    public const string InsufficientData = "insufficient_data";

    /// <summary>The CSR is not a parseable PEM certificate signing request.</summary>
    public const string CertParse = "cert_parse";

    /// <summary>The CSR parses but its signature does not verify with its own public key.</summary>
    public const string CertValidation = "cert_validation";

    /// <summary>The identity is not a SPIFFE ID of this trust domain, or the CSR asks for a different one.</summary>
    public const string RequestIdValidation = "req_id_validation";

    /// <summary>Signing failed: no valid issuer is loaded, or the signature operation threw.</summary>
    public const string CertSign = "cert_sign";

    /// <summary>Every reason, for creating the series up front.</summary>
    public static IReadOnlyList<string> All { get; } = [InsufficientData, CertParse, CertValidation, RequestIdValidation, CertSign];
}
