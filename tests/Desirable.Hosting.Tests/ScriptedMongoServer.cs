using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;

namespace Desirable.Hosting.Tests;

/// <summary>
/// A test double of a MongoDB server's handshake, for the machines where no real server runs: it speaks the wire
/// protocol (OP_QUERY and OP_MSG) far enough for the real driver to discover a primary and start SCRAM, then refuses
/// the credentials exactly as mongod does (code 18, AuthenticationFailed). Nothing else is implemented.
/// </summary>
internal sealed class ScriptedMongoServer : IAsyncDisposable
{
    private const int OpReply = 1;
    private const int OpQuery = 2004;
    private const int OpMsg = 2013;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _saslStarts;

    public ScriptedMongoServer()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many times a client tried to authenticate (and was refused).</summary>
    public int SaslStarts => Volatile.Read(ref _saslStarts);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                connections.Add(ServeAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        var header = new byte[16];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(header, _stop.Token);
                var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                var requestId = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(4));
                var opCode = BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(12));
                var body = new byte[length - 16];
                await stream.ReadExactlyAsync(body, _stop.Token);

                var (command, reply) = opCode switch
                {
                    OpQuery => (ReadQuery(body), OpReply),
                    OpMsg => (ReadMessage(body), OpMsg),
                    _ => throw new InvalidDataException($"Unexpected op code {opCode}."),
                };
                await stream.WriteAsync(Frame(requestId, reply, Answer(command)), _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or ObjectDisposedException)
        {
            // The client hung up, or the server stopped.
        }
    }

    private BsonDocument Answer(BsonDocument command)
    {
        switch (command.GetElement(0).Name)
        {
            case "hello" or "isMaster" or "ismaster":
                return new BsonDocument
                {
                    { "helloOk", true },
                    { "isWritablePrimary", true },
                    { "ismaster", true },
                    { "maxBsonObjectSize", 16 * 1024 * 1024 },
                    { "maxMessageSizeBytes", 48_000_000 },
                    { "maxWriteBatchSize", 100_000 },
                    { "localTime", DateTime.UtcNow },
                    { "logicalSessionTimeoutMinutes", 30 },
                    { "connectionId", 1 },
                    { "minWireVersion", 0 },
                    { "maxWireVersion", 25 },
                    { "readOnly", false },
                    { "saslSupportedMechs", new BsonArray { "SCRAM-SHA-256" } },
                    { "ok", 1.0 },
                };
            case "saslStart":
                Interlocked.Increment(ref _saslStarts);
                // What mongod answers to a user that does not exist or a wrong password: the same, on purpose.
                return new BsonDocument
                {
                    { "ok", 0.0 },
                    { "errmsg", "Authentication failed." },
                    { "code", 18 },
                    { "codeName", "AuthenticationFailed" },
                };
            default:
                return new BsonDocument("ok", 1.0);
        }
    }

    /// <summary>OP_QUERY: flags, collection name, skip, return count, then the command document.</summary>
    private static BsonDocument ReadQuery(byte[] body)
    {
        var offset = 4;
        while (body[offset] != 0)
        {
            offset++;
        }

        offset += 1 + 8;
        return Document(body, offset);
    }

    /// <summary>OP_MSG: flags, then sections; the command is the body section (kind 0).</summary>
    private static BsonDocument ReadMessage(byte[] body)
    {
        var offset = 4;
        while (offset < body.Length)
        {
            var kind = body[offset++];
            var size = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(offset));
            if (kind == 0)
            {
                return Document(body, offset);
            }

            offset += size;
        }

        throw new InvalidDataException("An OP_MSG without a body section.");
    }

    private static BsonDocument Document(byte[] body, int offset)
    {
        var size = BinaryPrimitives.ReadInt32LittleEndian(body.AsSpan(offset));
        return BsonSerializer.Deserialize<BsonDocument>(body.AsSpan(offset, size).ToArray());
    }

    private static byte[] Frame(int responseTo, int opCode, BsonDocument document)
    {
        var bson = document.ToBson();
        // OP_REPLY: flags, cursor id, starting from, number returned. OP_MSG: flags, then a kind-0 section.
        var prefix = opCode == OpReply ? 4 + 8 + 4 + 4 : 4 + 1;
        var message = new byte[16 + prefix + bson.Length];
        BinaryPrimitives.WriteInt32LittleEndian(message, message.Length);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(4), Random.Shared.Next());
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(8), responseTo);
        BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(12), opCode);
        if (opCode == OpReply)
        {
            BinaryPrimitives.WriteInt32LittleEndian(message.AsSpan(16 + 16), 1);
        }

        bson.CopyTo(message, 16 + prefix);
        return message;
    }
}
