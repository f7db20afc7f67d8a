using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SentryCa.Ca;

/// <summary>
/// Validates a PEM certificate signing request against the requested SPIFFE identity and signs a workload
/// certificate with the issuer. Pure certificate logic: no metrics, no I/O; each failure path yields its own
/// <see cref="SignFailureReason"/>.
/// </summary>
/// <remarks>
/// Nothing the requester put into the CSR beyond its subject and public key reaches the certificate: the extensions
/// (SAN, key usage, basic constraints) are written by the CA, so a CSR cannot ask for a CA certificate or a second identity.
/// </remarks>
public sealed class CsrSigner(string trustDomain, TimeSpan maxTtl, TimeProvider? time = null)
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string CommonNameOid = "2.5.4.3";
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Validates the request and signs it with <paramref name="issuer"/> (null: no valid issuer is loaded).</summary>
    public SignOutcome Sign(string? csrPem, string? identity, long? ttlSeconds, IssuerCredentials? issuer)
    {
        if (string.IsNullOrWhiteSpace(csrPem) || string.IsNullOrWhiteSpace(identity) || ttlSeconds is null)
        {
            return SignOutcome.Failed(SignFailureReason.InsufficientData, "csr, identity and ttlSeconds are required.");
        }
        if (ttlSeconds <= 0)
        {
            return SignOutcome.Failed(SignFailureReason.InsufficientData, $"ttlSeconds must be positive, not {ttlSeconds}.");
        }

        CertificateRequest request;
        try
        {
            request = CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256,
                CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return SignOutcome.Failed(SignFailureReason.CertParse, "The CSR is not a PEM certificate signing request: " + e.Message);
        }
        try
        {
            // Loaded a second time with the signature checked: the first load told parse errors apart from bad signatures.
            CertificateRequest.LoadSigningRequestPem(csrPem, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return SignOutcome.Failed(SignFailureReason.CertValidation, "The CSR's signature does not verify: " + e.Message);
        }

        if (!SpiffeId.TryParse(identity, out var id))
        {
            return SignOutcome.Failed(SignFailureReason.RequestIdValidation,
                $"\"{identity}\" is not a SPIFFE ID of the form spiffe://<trust-domain>/ns/<namespace>/<app-id>.");
        }
        if (id.TrustDomain != trustDomain)
        {
            return SignOutcome.Failed(SignFailureReason.RequestIdValidation,
                $"\"{identity}\" is not in the trust domain \"{trustDomain}\".");
        }
        if (RequestedIdentityProblem(request, identity) is { } problem)
        {
            return SignOutcome.Failed(SignFailureReason.RequestIdValidation, problem);
        }

        if (issuer is null)
        {
            return SignOutcome.Failed(SignFailureReason.CertSign, "No valid issuer certificate is loaded.");
        }
        try
        {
            var ttl = TimeSpan.FromSeconds(Math.Min(ttlSeconds.Value, (long)maxTtl.TotalSeconds));
            using var certificate = Issue(request.SubjectName, request.PublicKey, new Uri(identity), ttl, issuer);
            return SignOutcome.Issued(certificate.ExportCertificatePem() + "\n" + issuer.IssuerPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or InvalidOperationException)
        {
            return SignOutcome.Failed(SignFailureReason.CertSign, "Signing failed: " + e.Message);
        }
    }

    /// <summary>
    /// Issues a certificate for <paramref name="publicKey"/> signed by <paramref name="issuer"/>, valid from a minute ago
    /// (clock skew) for <paramref name="ttl"/>, cut to the issuer's own validity. Also used for the server certificate.
    /// </summary>
    internal X509Certificate2 Issue(X500DistinguishedName subject, PublicKey publicKey, Uri? uri, TimeSpan ttl,
        IssuerCredentials issuer, IEnumerable<string>? dnsNames = null, bool serverAuthOnly = false)
    {
        var padding = issuer.Issuer.GetRSAPrivateKey() is null ? null : RSASignaturePadding.Pkcs1;
        var request = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256, padding);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        var usages = new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }; // serverAuth
        if (!serverAuthOnly)
        {
            usages.Add(new Oid("1.3.6.1.5.5.7.3.2")); // clientAuth: workloads talk mTLS both ways
        }
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(usages, false));
        var san = new SubjectAlternativeNameBuilder();
        if (uri is not null)
        {
            san.AddUri(uri);
        }
        foreach (var dns in dnsNames ?? [])
        {
            san.AddDnsName(dns);
        }
        if (dnsNames is not null)
        {
            san.AddIpAddress(System.Net.IPAddress.Loopback);
            san.AddIpAddress(System.Net.IPAddress.IPv6Loopback);
        }
        // A SPIFFE SVID's SAN is critical when the subject is empty (RFC 5280 §4.2.1.6).
        request.CertificateExtensions.Add(san.Build(critical: subject.RawData.Length <= 2));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(publicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer.Issuer, true, false));

        var now = _time.GetUtcNow();
        var issuerStart = new DateTimeOffset(issuer.Issuer.NotBefore.ToUniversalTime());
        var issuerEnd = new DateTimeOffset(issuer.Issuer.NotAfter.ToUniversalTime());
        var notBefore = Max(now.AddMinutes(-1), issuerStart);
        var notAfter = Min(now + ttl, issuerEnd);
        if (notAfter <= notBefore)
        {
            throw new InvalidOperationException($"The issuer is not valid now (valid {issuerStart:u} to {issuerEnd:u}).");
        }
        return request.Create(issuer.Issuer, notBefore, notAfter, SerialNumbers.Next());
    }

    /// <summary>
    /// The CSR must ask for exactly the requested identity: as its one SAN URI, or (without any SAN URI) as its
    /// common name. Null when it does.
    /// </summary>
    private static string? RequestedIdentityProblem(CertificateRequest request, string identity)
    {
        List<string> uris;
        try
        {
            uris = request.CertificateExtensions
                .Where(e => e.Oid?.Value == SubjectAltNameOid)
                .SelectMany(e => SanUris(e.RawData))
                .ToList();
        }
        catch (AsnContentException e)
        {
            return "The CSR's subject alternative name extension is malformed: " + e.Message;
        }
        if (uris.Count > 0)
        {
            if (uris.Count == 1 && uris[0] == identity)
            {
                return null;
            }
            return $"The CSR asks for the URI SAN(s) {string.Join(", ", uris)}, not the identity \"{identity}\".";
        }
        var commonName = request.SubjectName.EnumerateRelativeDistinguishedNames()
            .Where(rdn => !rdn.HasMultipleElements && rdn.GetSingleElementType().Value == CommonNameOid)
            .Select(rdn => rdn.GetSingleElementValue())
            .FirstOrDefault();
        return commonName == identity
            ? null
            : $"The CSR has no URI SAN and its common name \"{commonName}\" is not the identity \"{identity}\".";
    }

    /// <summary>The uniformResourceIdentifier entries ([6] IA5String) of a GeneralNames sequence.</summary>
    private static IEnumerable<string> SanUris(byte[] extensionValue)
    {
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
        var result = new List<string>();
        while (names.HasData)
        {
            if (names.PeekTag().HasSameClassAndValue(uriTag))
            {
                result.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }
        return result;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
