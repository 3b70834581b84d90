using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Desirable.Hosting.Aws;
using Desirable.Hosting.Mongo;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Desirable.Hosting.Tests;

/// <summary>
/// The health checks of the containers mode, run for real: the AWS emulator check speaks S3, so a real fauxqs
/// answers it exactly as Floci or LocalStack would; the MongoDB check meets a closed port (no server exists here).
/// </summary>
public sealed class ContainerHealthCheckTests : IAsyncLifetime
{
    private FauxqsEmulator _emulator = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _emulator = await FauxqsEmulator.StartInTemporaryFolderAsync(Ct);

    [Fact]
    public async Task TheAwsEmulatorCheckIsHealthyWhenS3Answers()
    {
        var emulator = EmulatorAt(_emulator.ServiceUrl.Port);

        var result = await new AwsEmulatorHealthCheck(emulator).CheckHealthAsync(Context(), Ct);

        Assert.Equal(HealthStatus.Healthy, result.Status);
    }

    [Fact]
    public async Task TheAwsEmulatorCheckIsUnhealthyWhenNothingListens()
    {
        var emulator = EmulatorAt(LoopbackPort.Free());

        var result = await new AwsEmulatorHealthCheck(emulator).CheckHealthAsync(Context(), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("does not answer S3", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMongoCheckIsUnhealthyWhenNoServerAnswers()
    {
        var server = new FixedConnectionString("mongo", $"mongodb://admin:pw@127.0.0.1:{LoopbackPort.Free()}/?connectTimeoutMS=300");

        var result = await new MongoDBPingHealthCheck(server, "admin", MongoAt(LoopbackPort.Free(), "pw")).CheckHealthAsync(Context(), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("does not answer ping", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheMongoCheckReportsARefusedPasswordAsOneWithTheWayOut_AgainstAScriptedHandshakeStandIn()
    {
        await using var standIn = new ScriptedMongoServer();
        // Every character that means something in a URI: unescaped, the driver would fail to parse the string instead.
        var server = MongoAt(standIn.Port, "p@ss:w/rd?#%[]");

        Assert.Contains("//admin:p%40ss%3Aw%2Frd%3F%23%25%5B%5D@127.0.0.1:", await server.ConnectionStringExpression.GetValueAsync(Ct), StringComparison.Ordinal);
        var result = await new MongoDBPingHealthCheck(server, "admin", server).CheckHealthAsync(Context(), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.IsType<MongoDB.Driver.MongoAuthenticationException>(result.Exception);
        Assert.StartsWith("MongoDB refused the password of user 'admin'", result.Description, StringComparison.Ordinal);
        Assert.Contains("the data volume 'desirable-mongo-data'", result.Description, StringComparison.Ordinal);
        Assert.Contains("parameter 'mongo-password'", result.Description, StringComparison.Ordinal);
        Assert.Contains("MongoDB refuses the password", result.Description, StringComparison.Ordinal);
        Assert.True(standIn.SaslStarts > 0, "The driver never reached authentication.");
    }

    [Fact]
    public async Task TheMongoCheckReportsARefusedPasswordAgainstARealServer()
    {
        var real = await RealMongo.StartAsync(Ct);
        await using var _ = real;
        var server = MongoAt(real.Port, "not-the-password");

        var result = await new MongoDBPingHealthCheck(server, "admin", server).CheckHealthAsync(Context(), Ct);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.StartsWith("MongoDB refused the password of user 'admin'", result.Description, StringComparison.Ordinal);
    }

    public async ValueTask DisposeAsync()
    {
        await _emulator.DisposeAsync();
    }

    private static HealthCheckContext Context() => new()
    {
        Registration = new HealthCheckRegistration("check", _ => null!, HealthStatus.Unhealthy, tags: null),
    };

    private static AwsEmulatorContainerResource EmulatorAt(int port)
    {
        var emulator = new AwsEmulatorContainerResource("aws", AwsEmulatorImage.Floci);
        var endpoint = new EndpointAnnotation(ProtocolType.Tcp, uriScheme: "http", name: AwsEmulatorContainerResource.HttpEndpointName, targetPort: 4566);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port);
        emulator.Annotations.Add(endpoint);
        return emulator;
    }

    private static MongoDBServerResource MongoAt(int port, string password)
    {
        var server = new MongoDBServerResource("mongo", new ParameterResource("mongo-password", _ => password, secret: true));
        var endpoint = new EndpointAnnotation(ProtocolType.Tcp, uriScheme: "tcp", name: MongoDBServerResource.PrimaryEndpointName, targetPort: 27017);
        endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "127.0.0.1", port);
        server.Annotations.Add(endpoint);
        server.Annotations.Add(new ContainerMountAnnotation("desirable-mongo-data", "/data/db", ContainerMountType.Volume, isReadOnly: false));
        return server;
    }

    private sealed class FixedConnectionString(string name, string connectionString) : Resource(name), IResourceWithConnectionString
    {
        public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{connectionString}");
    }
}
