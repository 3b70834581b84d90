using System.Net;
using Desirable.Aws.Query;

namespace Desirable.Aws.Sts;

/// <summary>Who the credentials belong to (STS GetCallerIdentity, Query protocol); AWSSDK.SecurityToken is not needed for one call.</summary>
public sealed class StsClient(HttpClient http, AwsQueryClientOptions? options = null, TimeProvider? time = null)
{
    private readonly AwsQueryClient _query = new(http, "sts", "2011-06-15", options,
        (code, message, status) => new StsException(code, message, status), time);

    public string Region => _query.Region;

    /// <summary>The account id the credentials act in.</summary>
    public async Task<string> GetAccountIdAsync(CancellationToken cancellationToken = default) =>
        AwsQueryClient.Child(await _query.SendAsync("GetCallerIdentity", [], cancellationToken), "Account")
        ?? throw new StsException("InvalidResponse", "No Account in the answer.", HttpStatusCode.OK);
}

/// <summary>STS answered with an error, such as <c>InvalidClientTokenId</c> or <c>ExpiredToken</c>.</summary>
public sealed class StsException(string code, string message, HttpStatusCode statusCode) : AwsApiException("STS", code, message, statusCode);
