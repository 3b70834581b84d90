using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.Core.Events;

namespace Desirable.Media.Catalog.Mongo;

/// <summary>
/// Turns the driver's command events into OpenTelemetry client spans (database semantic conventions), so MongoDB
/// calls show in the dashboard's traces under the request that made them. Command documents are not recorded:
/// they carry user data. Subscribed through <c>ClusterConfigurator</c> on the client's settings.
/// </summary>
public sealed class MongoCommandTracer
{
    public const string ActivitySourceName = "Desirable.MongoDB";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    // Connection set-up and authentication are not the application's work; they would clutter every trace.
    private static readonly HashSet<string> IgnoredCommands = new(StringComparer.OrdinalIgnoreCase)
    {
        "hello", "isMaster", "saslStart", "saslContinue", "getnonce", "authenticate", "buildInfo", "endSessions",
    };

    private readonly ConcurrentDictionary<int, Activity> _running = new();

    public void Subscribe(MongoDB.Driver.Core.Configuration.ClusterBuilder cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        cluster.Subscribe<CommandStartedEvent>(OnStarted);
        cluster.Subscribe<CommandSucceededEvent>(OnSucceeded);
        cluster.Subscribe<CommandFailedEvent>(OnFailed);
    }

    public void OnStarted(CommandStartedEvent e)
    {
        if (IgnoredCommands.Contains(e.CommandName) || !Source.HasListeners())
        {
            return;
        }

        var collection = CollectionOf(e.Command, e.CommandName);
        var database = e.DatabaseNamespace?.DatabaseName;

        // The span must not become the ambient one: the driver raises this event inside its own call, and the
        // caller's flow would otherwise carry it after the command has ended.
        var previous = Activity.Current;
        var activity = Source.StartActivity($"{e.CommandName} {collection ?? database}".TrimEnd(), ActivityKind.Client);
        Activity.Current = previous;
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            activity.SetTag("db.system.name", "mongodb");
            activity.SetTag("db.operation.name", e.CommandName);
            activity.SetTag("db.namespace", database);
            activity.SetTag("db.collection.name", collection);
            switch (e.ConnectionId?.ServerId.EndPoint)
            {
                case DnsEndPoint dns:
                    activity.SetTag("server.address", dns.Host);
                    activity.SetTag("server.port", dns.Port);
                    break;
                case IPEndPoint ip:
                    activity.SetTag("server.address", ip.Address.ToString());
                    activity.SetTag("server.port", ip.Port);
                    break;
            }
        }

        if (!_running.TryAdd(e.RequestId, activity))
        {
            activity.Dispose();
        }
    }

    public void OnSucceeded(CommandSucceededEvent e)
    {
        if (_running.TryRemove(e.RequestId, out var activity))
        {
            activity.Dispose();
        }
    }

    public void OnFailed(CommandFailedEvent e)
    {
        if (!_running.TryRemove(e.RequestId, out var activity))
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, e.Failure?.Message);
        activity.SetTag("error.type", e.Failure?.GetType().FullName);
        if (e.Failure is MongoCommandException command)
        {
            activity.SetTag("db.response.status_code", command.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        activity.Dispose();
    }

    /// <summary>A collection command names its collection as the value of its first element: <c>{ find: "items" }</c>.</summary>
    private static string? CollectionOf(BsonDocument? command, string commandName) =>
        command is { ElementCount: > 0 } && command.GetElement(0) is { Value: BsonString name } first &&
        string.Equals(first.Name, commandName, StringComparison.Ordinal)
            ? name.Value
            : null;
}
