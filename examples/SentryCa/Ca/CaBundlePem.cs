namespace SentryCa.Ca;

/// <summary>A root certificate, an issuer certificate and the issuer's key, as PEM text.</summary>
public sealed record CaBundlePem(string RootCertPem, string IssuerCertPem, string IssuerKeyPem);
