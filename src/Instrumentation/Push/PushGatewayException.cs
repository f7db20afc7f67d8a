using System.Net;

namespace Instrumentation.Push;

/// <summary>
/// Thrown when a Pushgateway answers a push, add or delete with a status other than 2xx. The message names the URL,
/// the status code and the gateway's response body (which says what it rejected, an inconsistent metric, say).
/// </summary>
public sealed class PushGatewayException : Exception
{
    /// <summary>Creates the exception. User information in <paramref name="url"/> (a password) is left out of it.</summary>
    public PushGatewayException(string method, Uri url, HttpStatusCode statusCode, string responseBody)
        : base($"{method} {PushGatewayClient.WithoutUserInfo(url)} failed: the Pushgateway answered {(int)statusCode} {statusCode}" +
               (string.IsNullOrWhiteSpace(responseBody) ? " with an empty body." : ": " + responseBody.Trim()))
    {
        Method = method;
        Url = PushGatewayClient.WithoutUserInfo(url);
        StatusCode = statusCode;
        ResponseBody = responseBody;
    }

    /// <summary>The HTTP method sent (<c>PUT</c>, <c>POST</c> or <c>DELETE</c>).</summary>
    public string Method { get; }

    /// <summary>The URL of the group, without user information.</summary>
    public Uri Url { get; }

    /// <summary>The status code the gateway answered.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The gateway's response body, as text.</summary>
    public string ResponseBody { get; }
}
