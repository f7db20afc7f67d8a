using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SentryCa.Ca;

/// <summary>
/// Creates a fresh CA hierarchy: a self-signed root and an intermediate issuer signed by it, both ECDSA P-256 (what
/// Dapr's Sentry creates in self-signed mode). The root's key is discarded: only the issuer signs, and rotating the
/// root means replacing the whole set.
/// </summary>
public static class SelfSignedCa
{
    /// <summary>Creates the root and issuer for <paramref name="trustDomain"/>.</summary>
    /// <param name="trustDomain">Written into the subject names, so operators can tell CAs apart.</param>
    /// <param name="rootLifetime">How long the root is valid.</param>
    /// <param name="issuerLifetime">How long the issuer is valid; cut to the root's lifetime.</param>
    /// <param name="notBefore">Start of validity; default now minus a minute (clock skew).</param>
    public static CaBundlePem Create(string trustDomain, TimeSpan rootLifetime, TimeSpan issuerLifetime, DateTimeOffset? notBefore = null)
    {
        var start = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-1);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = CaRequest(new X500DistinguishedName($"O={trustDomain}, CN=Sentry root"), rootKey, pathLength: 1);
        using var root = rootRequest.CreateSelfSigned(start, start + rootLifetime);

        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var issuerRequest = CaRequest(new X500DistinguishedName($"O={trustDomain}, CN=Sentry issuer"), issuerKey, pathLength: 0);
        issuerRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(root, true, false));
        var issuerEnd = start + issuerLifetime < root.NotAfter ? start + issuerLifetime : new DateTimeOffset(root.NotAfter);
        using var issuer = issuerRequest.Create(root, start, issuerEnd, SerialNumbers.Next());

        return new CaBundlePem(root.ExportCertificatePem(), issuer.ExportCertificatePem(), issuerKey.ExportPkcs8PrivateKeyPem());
    }

    private static CertificateRequest CaRequest(X500DistinguishedName subject, ECDsa key, int pathLength)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }
}
