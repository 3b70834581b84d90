using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Desirable.Hosting.SignIn;
using Microsoft.IdentityModel.Tokens;

namespace Desirable.Testing;

/// <summary>
/// The real local issuer (Desirable.Identity), built with the solution and run as its own process on a loopback
/// port, with its database and keys in a temporary folder. The services under test validate its tokens exactly
/// as they validate Auth0's: discovery, JWKS, RS256. Tokens come from its client-credentials grant, one machine
/// client per seeded user.
/// </summary>
public sealed class LocalIssuer : IAsyncDisposable
{
    public const string Audience = Desirable.Contracts.LocalIdentity.Audience;

    /// <summary>read, write and delete on their own media (role creator).</summary>
    public const string Alice = "auth0|alice";

    /// <summary>The same permissions as Alice: the other owner.</summary>
    public const string Bob = "auth0|bob";

    /// <summary>read:media only (role viewer).</summary>
    public const string Vera = "auth0|vera";

    /// <summary>Every permission, admin:media included.</summary>
    public const string Ada = "auth0|ada";

    private static readonly Lazy<Task<LocalIssuer>> Shared = new(() => StartAsync(CancellationToken.None));

    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly Dictionary<string, Task<string>> _tokens = new(StringComparer.Ordinal);
    private readonly Lazy<RsaSecurityKey> _signingKey;

    private LocalIssuer(Process process, string directory, Uri url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = url };
        _signingKey = new(ReadSigningKey);
    }

    /// <summary>The issuer's address, with the trailing slash tokens carry in <c>iss</c>.</summary>
    public Uri Url { get; }

    public string Authority => Url.ToString();

    /// <summary>One issuer for every test of this process; the services under test only need its address.</summary>
    public static Task<LocalIssuer> GetAsync() => Shared.Value;

    /// <summary>An access token for <paramref name="user"/> (one of the seeded subjects), fetched once per user.</summary>
    public Task<string> TokenAsync(string user)
    {
        lock (_tokens)
        {
            if (!_tokens.TryGetValue(user, out var token))
            {
                _tokens[user] = token = ClientCredentials.TokenAsync(_http, user, CancellationToken.None);
            }

            return token;
        }
    }

    public async Task<AuthenticationHeaderValue> BearerAsync(string user) => new("Bearer", await TokenAsync(user));

    /// <summary>The issuer's signing key, read once from its key folder as the issuer itself does: for forging tokens that only the claim under test makes wrong.</summary>
    public RsaSecurityKey SigningKey() => _signingKey.Value;

    private RsaSecurityKey ReadSigningKey()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(Path.Combine(LocalIssuerSettings.KeyDirectory(_directory), "signing.pem")));
        var key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        return key;
    }

    private static async Task<LocalIssuer> StartAsync(CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("desirable-issuer-").FullName;
        var port = LoopbackPort.Free();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet", [IssuerAssembly()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        // As the AppHost starts it (the hosting integration's description), on a folder and port of its own.
        foreach (var (key, value) in LocalIssuerSettings.Environment(directory))
        {
            start.Environment[key] = value;
        }

        start.Environment[LocalIssuerSettings.IssuerVariable] = url.ToString();
        // No OTLP collector here; the issuer's telemetry would only retry against nothing.
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The local issuer did not start.");
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var issuer = new LocalIssuer(process, directory, url);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => issuer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The local issuer exited with {process.ExitCode}:\n{output}");
            }

            try
            {
                using var health = await issuer._http.GetAsync("health", cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return issuer;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The local issuer was not healthy within 60 s:\n{output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Built beside the test project (a build-only project reference), in the same configuration.</summary>
    private static string IssuerAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var path = Path.Combine(RepositoryPaths.Root, "src", "Desirable.Identity", "bin", configuration, "net10.0", "Desirable.Identity.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the local issuer is not built.", path);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
