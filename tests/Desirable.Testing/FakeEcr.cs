using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Desirable.Testing;

/// <summary>
/// A test double of ECR's JSON 1.1 endpoint on real Kestrel (no AWS endpoint is reachable here): GetAuthorizationToken
/// and DescribeImages in their documented shapes, over repositories and tagged images a test puts in. Every test that
/// uses it says "Fake" in its name.
/// </summary>
public sealed class FakeEcr : IAsyncDisposable
{
    public const string Password = "fake-registry-password";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _repositories = new(StringComparer.Ordinal);

    private FakeEcr(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>The registry host the login names.</summary>
    public const string Registry = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

    /// <summary>Every operation received, in order.</summary>
    public ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<FakeEcr> StartAsync()
    {
        FakeEcr? fake = null;
        var (app, url) = await FakeEndpoint.StartAsync(routes => routes.MapPost("/", (Func<HttpContext, Task<IResult>>)(context => fake!.HandleAsync(context))));
        fake = new FakeEcr(app) { Url = url };
        return fake;
    }

    public void AddRepository(string name) => _repositories.TryAdd(name, new(StringComparer.Ordinal));

    /// <summary>An image as a push leaves it: its tag in the repository, pointing at its digest.</summary>
    public void Push(string repository, string tag, string digest) => _repositories[repository][tag] = digest;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var target = context.Request.Headers["X-Amz-Target"].ToString();
        var operation = target[(target.LastIndexOf('.') + 1)..];
        Calls.Enqueue(operation);
        if (!context.Request.Headers.Authorization.ToString().StartsWith("AWS4-HMAC-SHA256 Credential=", StringComparison.Ordinal) ||
            !target.StartsWith("AmazonEC2ContainerRegistry_V20150921.", StringComparison.Ordinal))
        {
            return Error(400, "InvalidSignatureException", "The request is not signed for ECR.");
        }

        var request = await JsonNode.ParseAsync(context.Request.Body) ?? new JsonObject();
        return operation switch
        {
            "GetAuthorizationToken" => Json(new JsonObject
            {
                ["authorizationData"] = new JsonArray(new JsonObject
                {
                    ["authorizationToken"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"AWS:{Password}")),
                    ["expiresAt"] = DateTimeOffset.UtcNow.AddHours(12).ToUnixTimeMilliseconds() / 1000.0,
                    ["proxyEndpoint"] = $"https://{Registry}",
                }),
            }),
            "DescribeImages" => DescribeImages(request),
            _ => Error(400, "UnknownOperationException", $"{operation} is not an operation this fake knows."),
        };
    }

    private IResult DescribeImages(JsonNode request)
    {
        var name = request["repositoryName"]?.GetValue<string>() ?? "";
        if (!_repositories.TryGetValue(name, out var tags))
        {
            return Error(400, "RepositoryNotFoundException", $"The repository with name '{name}' does not exist in the registry with id '123456789012'");
        }

        var tag = request["imageIds"]?[0]?["imageTag"]?.GetValue<string>() ?? "";
        return tags.TryGetValue(tag, out var digest)
            ? Json(new JsonObject { ["imageDetails"] = new JsonArray(new JsonObject { ["repositoryName"] = name, ["imageDigest"] = digest, ["imageTags"] = new JsonArray(tag) }) })
            : Error(400, "ImageNotFoundException", $"The image with imageId {{imageTag:'{tag}'}} does not exist within the repository with name '{name}'");
    }

    private static IResult Json(JsonObject body) => Results.Text(body.ToJsonString(), "application/x-amz-json-1.1");

    private static IResult Error(int status, string type, string message) =>
        Results.Text(JsonSerializer.Serialize(new Dictionary<string, string> { ["__type"] = type, ["message"] = message }), "application/x-amz-json-1.1", statusCode: status);
}
