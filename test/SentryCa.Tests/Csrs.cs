using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SentryCa.Tests;

/// <summary>Builds certificate signing requests the way a workload would, plus deliberately broken ones.</summary>
internal static class Csrs
{
    public const string Identity = "spiffe://cluster.local/ns/default/orders";

    /// <summary>A CSR with an ECDSA key, a URI SAN (if given) and a common name (if given).</summary>
    public static string Create(string? sanUri = Identity, string? commonName = null, Action<CertificateRequest>? extra = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Create(key, sanUri, commonName, extra);
    }

    public static string Create(ECDsa key, string? sanUri = Identity, string? commonName = null, Action<CertificateRequest>? extra = null)
    {
        var subject = commonName is null ? new X500DistinguishedName("") : new X500DistinguishedName("CN=" + commonName);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        if (sanUri is not null)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddUri(new Uri(sanUri));
            request.CertificateExtensions.Add(san.Build());
        }
        extra?.Invoke(request);
        return request.CreateSigningRequestPem();
    }

    /// <summary>A well-formed CSR whose signature does not match its content.</summary>
    public static string WithBrokenSignature()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(""), key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(Identity));
        request.CertificateExtensions.Add(san.Build());
        var der = request.CreateSigningRequest();
        // The DER ends with the last octet of the signature's s value: changing it keeps the encoding valid.
        der[^1] ^= 0x01;
        return PemEncoding.WriteString("CERTIFICATE REQUEST", der);
    }

    /// <summary>The first certificate of a PEM chain and the rest.</summary>
    public static (X509Certificate2 Leaf, X509Certificate2Collection Others) SplitChain(string chainPem)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPem(chainPem);
        var rest = new X509Certificate2Collection();
        for (var i = 1; i < all.Count; i++)
        {
            rest.Add(all[i]);
        }
        return (all[0], rest);
    }

    /// <summary>The URI SAN entries of a certificate (the .NET extension type only enumerates DNS names and IPs).</summary>
    public static IReadOnlyList<string> UriSans(X509Certificate2 certificate)
    {
        var ext = certificate.Extensions["2.5.29.17"];
        if (ext is null)
        {
            return [];
        }
        var reader = new System.Formats.Asn1.AsnReader(ext.RawData, System.Formats.Asn1.AsnEncodingRules.DER).ReadSequence();
        var tag = new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 6);
        var uris = new List<string>();
        while (reader.HasData)
        {
            if (reader.PeekTag().HasSameClassAndValue(tag))
            {
                uris.Add(reader.ReadCharacterString(System.Formats.Asn1.UniversalTagNumber.IA5String, tag));
            }
            else
            {
                reader.ReadEncodedValue();
            }
        }
        return uris;
    }
}
