using Desirable.Media.Catalog.Mongo;
using Desirable.Media.Model;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using static Desirable.Media.Catalog.Mongo.MongoCatalogMapping;

namespace Desirable.Media.Tests.Catalog.Mongo;

/// <summary>How items look as BSON, checked without a server.</summary>
public class MongoCatalogMappingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 10, 0, 0, 123, TimeSpan.Zero);

    public MongoCatalogMappingTests() => Register();

    public static TheoryData<MediaKind, MediaStatus, string?> EveryKindStatusAndReason()
    {
        var data = new TheoryData<MediaKind, MediaStatus, string?>();
        foreach (var kind in Enum.GetValues<MediaKind>())
        {
            foreach (var status in Enum.GetValues<MediaStatus>())
            {
                data.Add(kind, status, null);
                data.Add(kind, status, "decoder said: \"no\" ✗");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryKindStatusAndReason))]
    public void EveryItemRoundTripsThroughBson(MediaKind kind, MediaStatus status, string? reason)
    {
        var item = Item() with { Kind = kind, Status = status, StatusReason = reason };

        var back = BsonSerializer.Deserialize<MediaItem>(item.ToBsonDocument());

        Assert.Equal(item, back);
    }

    [Fact]
    public void AProcessedItemWithVariantsRoundTripsAndNamesItsElements()
    {
        var item = Item() with
        {
            Status = MediaStatus.Ready,
            Width = 1920,
            Height = 1080,
            DurationSeconds = 61.5,
            Thumb = new MediaVariant { ContentType = "image/jpeg", Width = 320, Height = 180, Size = 12_345, Sha256 = new string('d', 64) },
        };

        var document = item.ToBsonDocument();

        Assert.Equal(item, BsonSerializer.Deserialize<MediaItem>(document));
        Assert.Equal(1920, document[Elements.Width].AsInt32);
        Assert.Equal(61.5, document[Elements.DurationSeconds].AsDouble);
        Assert.Equal(
            new BsonDocument { { "contentType", "image/jpeg" }, { "width", 320 }, { "height", 180 }, { "size", 12_345L }, { "sha256", new string('d', 64) } },
            document[Elements.Thumb].AsBsonDocument);
        Assert.False(document.Contains(Elements.Preview));
    }

    [Fact]
    public void TheDocumentHasTheAgreedShape()
    {
        var item = Item();

        var document = item.ToBsonDocument();

        Assert.Equal(
            [Elements.Id, Elements.Owner, Elements.DisplayName, Elements.ContentType, Elements.Kind, Elements.Size, Elements.Sha256,
             Elements.Status, Elements.CreatedAt, Elements.UpdatedAt, Elements.Version],
            document.Names);
        var id = document[Elements.Id].AsBsonBinaryData;
        Assert.Equal(BsonBinarySubType.UuidStandard, id.SubType);
        Assert.Equal(item.Id.ToByteArray(bigEndian: true), id.Bytes);
        Assert.Equal(new BsonDateTime(T0.ToUnixTimeMilliseconds()), document[Elements.CreatedAt]);
        Assert.Equal("Video", document[Elements.Kind].AsString);
        Assert.Equal("Processing", document[Elements.Status].AsString);
        Assert.Equal(BsonType.Int64, document[Elements.Size].BsonType);
        Assert.Equal(BsonType.Int64, document[Elements.Version].BsonType);
    }

    [Fact]
    public void AReasonIsStoredOnlyWhenThereIsOne()
    {
        Assert.False(Item().ToBsonDocument().Contains(Elements.StatusReason));
        Assert.Equal("why", (Item() with { StatusReason = "why" }).ToBsonDocument()[Elements.StatusReason].AsString);
    }

    [Fact]
    public void TimesInOtherOffsetsAreStoredAsUtc()
    {
        var item = Item() with { CreatedAt = T0.ToOffset(TimeSpan.FromHours(-7)) };

        var document = item.ToBsonDocument();
        var back = BsonSerializer.Deserialize<MediaItem>(document);

        Assert.Equal(T0.ToUnixTimeMilliseconds(), document[Elements.CreatedAt].AsBsonDateTime.MillisecondsSinceEpoch);
        Assert.Equal(TimeSpan.Zero, back.CreatedAt.Offset);
        Assert.Equal(T0, back.CreatedAt);
    }

    [Fact]
    public void ElementsWrittenByANewerServiceAreIgnored()
    {
        var document = Item().ToBsonDocument();
        document.Add("width", 4000).Add("variants", new BsonArray { "thumb" });

        var back = BsonSerializer.Deserialize<MediaItem>(document);

        Assert.Equal(Item().Id, back.Id);
    }

    [Fact]
    public void ADocumentWithoutARequiredElementIsRejected()
    {
        var document = Item().ToBsonDocument();
        document.Remove(Elements.Owner);

        Assert.ThrowsAny<FormatException>(() => BsonSerializer.Deserialize<MediaItem>(document));
    }

    [Fact]
    public void EveryPropertyOfTheItemIsMappedExplicitly()
    {
        // A property added to MediaItem without a line in the class map would silently not be stored.
        var mapped = BsonClassMap.LookupClassMap(typeof(MediaItem)).AllMemberMaps.Select(m => m.MemberName).ToHashSet();
        var properties = typeof(MediaItem).GetProperties().Select(p => p.Name);
        var variantMapped = BsonClassMap.LookupClassMap(typeof(MediaVariant)).AllMemberMaps.Select(m => m.MemberName).ToHashSet();

        Assert.All(properties, p => Assert.Contains(p, mapped));
        Assert.All(typeof(MediaVariant).GetProperties().Select(p => p.Name), p => Assert.Contains(p, variantMapped));
    }

    private static readonly Guid FixedId = Guid.Parse("0193f2a1-7c4e-7d3a-9b1f-2a3b4c5d6e7f");

    private static MediaItem Item() => new()
    {
        Id = FixedId,
        Owner = "auth0|ann",
        DisplayName = "été.mp4",
        ContentType = "video/mp4",
        Kind = MediaKind.Video,
        Size = 5_000_000_000,
        Sha256 = new string('f', 64),
        Status = MediaStatus.Processing,
        CreatedAt = T0,
        UpdatedAt = T0.AddSeconds(1),
        Version = 3,
    };
}
