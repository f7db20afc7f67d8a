namespace SentryCa.Ca;

/// <summary>The result of one signing request: the issued chain, or the failure reason and what went wrong.</summary>
public sealed record SignOutcome
{
    private SignOutcome(string? chainPem, string? reason, string? detail)
    {
        CertificateChainPem = chainPem;
        FailureReason = reason;
        Detail = detail;
    }

    /// <summary>The PEM chain, workload certificate first, then the issuer; null on failure.</summary>
    public string? CertificateChainPem { get; }

    /// <summary>One of <see cref="SignFailureReason"/>; null on success.</summary>
    public string? FailureReason { get; }

    /// <summary>A human-readable explanation of the failure, for the log and the response.</summary>
    public string? Detail { get; }

    /// <summary>Whether a certificate was issued.</summary>
    public bool Succeeded => FailureReason is null;

    /// <summary>A successful outcome.</summary>
    public static SignOutcome Issued(string chainPem) => new(chainPem, null, null);

    /// <summary>A failed outcome.</summary>
    public static SignOutcome Failed(string reason, string detail) => new(null, reason, detail);
}
