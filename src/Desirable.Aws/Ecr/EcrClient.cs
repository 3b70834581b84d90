using System.Globalization;
using System.Net;
using System.Text;
using Desirable.Aws.Json;
using Desirable.Aws.Query;

namespace Desirable.Aws.Ecr;

/// <summary>
/// What pushing images to ECR takes (AWSSDK.ECR is not available): a registry login from the same AWS credentials
/// (GetAuthorizationToken) and a pushed image's digest by its tag (DescribeImages). ECR's JSON 1.1 protocol.
/// </summary>
public sealed class EcrClient(HttpClient http, AwsQueryClientOptions? options = null, TimeProvider? time = null)
{
    private readonly AwsJsonClient _json = new(http, "ecr", "AmazonEC2ContainerRegistry_V20150921", options, time);

    /// <summary>A login to the account's registry: user name, password, the registry's host, when it expires.</summary>
    public async Task<RegistryLogin> GetLoginAsync(CancellationToken cancellationToken = default)
    {
        var answer = await _json.CallAsync("GetAuthorizationToken", new Dictionary<string, object>(), Error, cancellationToken);
        var data = answer.GetProperty("authorizationData")[0];
        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(data.GetProperty("authorizationToken").GetString()!));
        var colon = pair.IndexOf(':', StringComparison.Ordinal);
        return new RegistryLogin(
            pair[..colon],
            pair[(colon + 1)..],
            new Uri(data.GetProperty("proxyEndpoint").GetString()!).Host,
            DateTimeOffset.FromUnixTimeMilliseconds((long)(data.GetProperty("expiresAt").GetDouble() * 1000)));
    }

    /// <summary>The digest (<c>sha256:…</c>) of the image tagged <paramref name="tag"/>, or null if there is none.</summary>
    public async Task<string?> FindDigestAsync(string repository, string tag, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(tag);
        try
        {
            var answer = await _json.CallAsync("DescribeImages", new Dictionary<string, object>
            {
                ["repositoryName"] = repository,
                ["imageIds"] = new[] { new Dictionary<string, string> { ["imageTag"] = tag } },
            }, Error, cancellationToken);
            return answer.GetProperty("imageDetails").EnumerateArray().Select(d => d.GetProperty("imageDigest").GetString()).FirstOrDefault();
        }
        catch (EcrException e) when (e.Code == "ImageNotFoundException")
        {
            return null;
        }
    }

    private static EcrException Error(string code, string message, HttpStatusCode status) => new(code, message, status);
}

/// <summary>A registry login: what <c>docker login</c> or the .NET SDK's container publishing takes.</summary>
public sealed record RegistryLogin(string UserName, string Password, string Registry, DateTimeOffset ExpiresAt)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{UserName}@{Registry} until {ExpiresAt:u}");
}

/// <summary>ECR answered with an error, such as <c>RepositoryNotFoundException</c> or <c>AccessDeniedException</c>.</summary>
public sealed class EcrException(string code, string message, HttpStatusCode statusCode) : AwsApiException("ECR", code, message, statusCode);
