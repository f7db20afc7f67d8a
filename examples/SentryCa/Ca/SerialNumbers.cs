using System.Security.Cryptography;

namespace SentryCa.Ca;

/// <summary>Certificate serial numbers: 128 random bits, positive (RFC 5280 §4.1.2.2 allows up to 20 octets).</summary>
internal static class SerialNumbers
{
    public static byte[] Next()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        // Clear the sign bit (DER integers are signed) and set the next one so the number never has a leading zero octet.
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }
}
