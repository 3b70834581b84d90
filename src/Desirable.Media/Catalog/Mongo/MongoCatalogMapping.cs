using Desirable.Media.Model;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using MongoDB.Bson.Serialization.Serializers;

namespace Desirable.Media.Catalog.Mongo;

/// <summary>
/// How a <see cref="MediaItem"/> is stored in MongoDB, spelled out member by member rather than left to
/// conventions: GUIDs in the standard (RFC 4122, subtype 4) representation, times as UTC BSON dates, enums as
/// their names, camelCase element names. Unknown elements are ignored so that a newer service can add fields
/// while an older one still reads the documents.
/// </summary>
public static class MongoCatalogMapping
{
    public const string CollectionName = "mediaItems";

    /// <summary>The stored element names; queries and indexes use these through the class map.</summary>
    public static class Elements
    {
        public const string Id = "_id";
        public const string Owner = "owner";
        public const string DisplayName = "displayName";
        public const string ContentType = "contentType";
        public const string Kind = "kind";
        public const string Size = "size";
        public const string Sha256 = "sha256";
        public const string Status = "status";
        public const string StatusReason = "statusReason";
        public const string CreatedAt = "createdAt";
        public const string UpdatedAt = "updatedAt";
        public const string Version = "version";
        public const string Width = "width";
        public const string Height = "height";
        public const string DurationSeconds = "durationSeconds";
        public const string Thumb = "thumb";
        public const string Preview = "preview";
        public const string EventPending = "eventPending";
    }

    private static readonly Lazy<BsonClassMap<MediaItem>> ItemMap = new(RegisterItemMap);
    private static readonly Lazy<BsonClassMap<MediaVariant>> VariantMap = new(RegisterVariantMap);

    /// <summary>Registers the class maps once per process; safe to call from every catalog instance.</summary>
    public static void Register()
    {
        _ = VariantMap.Value;
        _ = ItemMap.Value;
    }

    private static BsonClassMap<MediaVariant> RegisterVariantMap()
    {
        var map = new BsonClassMap<MediaVariant>(variant =>
        {
            variant.MapMember(v => v.ContentType).SetElementName("contentType").SetIsRequired(true);
            variant.MapMember(v => v.Width).SetElementName("width").SetIsRequired(true);
            variant.MapMember(v => v.Height).SetElementName("height").SetIsRequired(true);
            variant.MapMember(v => v.Size).SetElementName("size").SetIsRequired(true);
            variant.MapMember(v => v.Sha256).SetElementName("sha256").SetIsRequired(true);
            variant.SetIgnoreExtraElements(true);
        });
        BsonClassMap.TryRegisterClassMap(map);
        return (BsonClassMap<MediaVariant>)BsonClassMap.LookupClassMap(typeof(MediaVariant));
    }

    private static BsonClassMap<MediaItem> RegisterItemMap()
    {
        var map = new BsonClassMap<MediaItem>(item =>
        {
            var utcDate = new DateTimeOffsetSerializer(BsonType.DateTime);

            item.MapIdMember(i => i.Id).SetSerializer(new GuidSerializer(GuidRepresentation.Standard));
            item.MapMember(i => i.Owner).SetElementName(Elements.Owner).SetIsRequired(true);
            item.MapMember(i => i.DisplayName).SetElementName(Elements.DisplayName).SetIsRequired(true);
            item.MapMember(i => i.ContentType).SetElementName(Elements.ContentType).SetIsRequired(true);
            item.MapMember(i => i.Kind).SetElementName(Elements.Kind).SetIsRequired(true)
                .SetSerializer(new EnumSerializer<MediaKind>(BsonType.String));
            item.MapMember(i => i.Size).SetElementName(Elements.Size).SetIsRequired(true);
            item.MapMember(i => i.Sha256).SetElementName(Elements.Sha256).SetIsRequired(true);
            item.MapMember(i => i.Status).SetElementName(Elements.Status).SetIsRequired(true)
                .SetSerializer(new EnumSerializer<MediaStatus>(BsonType.String));
            item.MapMember(i => i.StatusReason).SetElementName(Elements.StatusReason).SetIgnoreIfNull(true);
            item.MapMember(i => i.CreatedAt).SetElementName(Elements.CreatedAt).SetIsRequired(true).SetSerializer(utcDate);
            item.MapMember(i => i.UpdatedAt).SetElementName(Elements.UpdatedAt).SetIsRequired(true).SetSerializer(utcDate);
            item.MapMember(i => i.Version).SetElementName(Elements.Version).SetIsRequired(true);
            item.MapMember(i => i.Width).SetElementName(Elements.Width).SetIgnoreIfNull(true);
            item.MapMember(i => i.Height).SetElementName(Elements.Height).SetIgnoreIfNull(true);
            item.MapMember(i => i.DurationSeconds).SetElementName(Elements.DurationSeconds).SetIgnoreIfNull(true);
            item.MapMember(i => i.Thumb).SetElementName(Elements.Thumb).SetIgnoreIfNull(true);
            item.MapMember(i => i.Preview).SetElementName(Elements.Preview).SetIgnoreIfNull(true);
            // Stored only while true, so the outbox index holds only items that owe an event.
            item.MapMember(i => i.EventPending).SetElementName(Elements.EventPending).SetIgnoreIfDefault(true);
            item.SetIgnoreExtraElements(true);
        });

        // Another registration of the same type (a test host in the same process) wins the race harmlessly.
        BsonClassMap.TryRegisterClassMap(map);
        return (BsonClassMap<MediaItem>)BsonClassMap.LookupClassMap(typeof(MediaItem));
    }
}
