using System.Diagnostics;
using System.Net;
using Desirable.Media.Catalog.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Clusters;
using MongoDB.Driver.Core.Connections;
using MongoDB.Driver.Core.Events;
using MongoDB.Driver.Core.Servers;

namespace Desirable.Media.Tests.Catalog.Mongo;

/// <summary>
/// The driver's command events become client spans. The events are built here as the driver raises them (their
/// constructors are public), because no server can run here; the client wiring is covered by the registration tests.
/// </summary>
public sealed class MongoCommandTracerTests : IDisposable
{
    private static readonly ConnectionId Connection = new(new ServerId(new ClusterId(), new DnsEndPoint("db.example", 27017)));
    private static readonly DatabaseNamespace Database = new("desirable");

    private readonly List<Activity> _stopped = [];
    private readonly ActivityListener _listener;
    private readonly MongoCommandTracer _tracer = new();

    public MongoCommandTracerTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MongoCommandTracer.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void ACommandBecomesAClientSpanUnderTheCallersSpan()
    {
        using var request = new Activity("GET /v3.0/media").Start();

        _tracer.OnStarted(new CommandStartedEvent("find", new BsonDocument { { "find", "mediaItems" }, { "filter", new BsonDocument("owner", "ann") } }, Database, 7, 101, Connection));
        var ambientAfterStart = Activity.Current;
        _tracer.OnSucceeded(new CommandSucceededEvent("find", new BsonDocument("ok", 1), Database, 7, 101, Connection, TimeSpan.FromMilliseconds(3)));

        var span = Assert.Single(_stopped);
        Assert.Same(request, ambientAfterStart);
        Assert.Equal(request.SpanId, span.ParentSpanId);
        Assert.Equal("find mediaItems", span.DisplayName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("mongodb", span.GetTagItem("db.system.name"));
        Assert.Equal("find", span.GetTagItem("db.operation.name"));
        Assert.Equal("desirable", span.GetTagItem("db.namespace"));
        Assert.Equal("mediaItems", span.GetTagItem("db.collection.name"));
        Assert.Equal("db.example", span.GetTagItem("server.address"));
        Assert.Equal(27017, span.GetTagItem("server.port"));
        Assert.DoesNotContain(span.Tags, t => t.Value?.Contains("ann", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void AFailedCommandEndsItsSpanAsAnError()
    {
        _tracer.OnStarted(new CommandStartedEvent("insert", new BsonDocument("insert", "mediaItems"), Database, 8, 102, Connection));
        _tracer.OnFailed(new CommandFailedEvent("insert", Database, new TimeoutException("no server"), 8, 102, Connection, TimeSpan.FromSeconds(10)));

        var span = Assert.Single(_stopped);
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("no server", span.StatusDescription);
        Assert.Equal(typeof(TimeoutException).FullName, span.GetTagItem("error.type"));
    }

    [Fact]
    public void DatabaseCommandsAreNamedAfterTheDatabase()
    {
        _tracer.OnStarted(new CommandStartedEvent("ping", new BsonDocument("ping", 1), Database, null, 103, Connection));
        _tracer.OnSucceeded(new CommandSucceededEvent("ping", new BsonDocument("ok", 1), Database, null, 103, Connection, TimeSpan.Zero));

        var span = Assert.Single(_stopped);
        Assert.Equal("ping desirable", span.DisplayName);
        Assert.Null(span.GetTagItem("db.collection.name"));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("saslStart")]
    public void HandshakeCommandsAreNotTraced(string command)
    {
        _tracer.OnStarted(new CommandStartedEvent(command, new BsonDocument(command, 1), new DatabaseNamespace("admin"), null, 104, Connection));
        _tracer.OnSucceeded(new CommandSucceededEvent(command, new BsonDocument("ok", 1), new DatabaseNamespace("admin"), null, 104, Connection, TimeSpan.Zero));

        Assert.Empty(_stopped);
    }

    [Fact]
    public void AnEndWithoutAStartIsIgnored()
    {
        _tracer.OnSucceeded(new CommandSucceededEvent("find", new BsonDocument("ok", 1), Database, null, 999, Connection, TimeSpan.Zero));

        Assert.Empty(_stopped);
    }

    public void Dispose() => _listener.Dispose();
}
