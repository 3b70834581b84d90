namespace Desirable.Contracts.Events;

/// <summary>
/// What other systems hear when an item is Ready or Failed: the body of the SNS message (JSON, camelCase), version 1.
/// It is its own type, not the API's response, so the REST API can change without changing what subscribers parse.
/// </summary>
/// <remarks>
/// Adding a field is compatible and keeps the version. Renaming, removing or changing the meaning of one is not: that
/// is a new version (a new record beside this one, published with its own <c>version</c>) while subscribers move.
/// The message attributes repeat <c>type</c> and <c>version</c> so that SNS filter policies can select on them.
/// </remarks>
/// <param name="Version">The schema version of this body; always <see cref="CurrentVersion"/> for this type.</param>
/// <param name="EventId">
/// The same for every publication of the same event (the item's id and the version it reached), so a subscriber
/// that keeps the ids it has handled can drop the duplicates at-least-once delivery brings.
/// </param>
/// <param name="Type"><see cref="ReadyType"/> or <see cref="FailedType"/>.</param>
/// <param name="MediaId">The item.</param>
/// <param name="Owner">The owner's user id (the token's <c>sub</c>).</param>
/// <param name="Status"><c>Ready</c> or <c>Failed</c>.</param>
/// <param name="Reason">Why processing failed; null when Ready.</param>
/// <param name="Variants">The variants made, by name (<c>thumb</c>, <c>preview</c>); empty when Failed.</param>
/// <param name="OccurredAt">When the item reached this status.</param>
public sealed record MediaEvent(
    int Version,
    Guid EventId,
    string Type,
    Guid MediaId,
    string Owner,
    string Status,
    string? Reason,
    IReadOnlyDictionary<string, MediaEventVariant> Variants,
    DateTimeOffset OccurredAt)
{
    public const int CurrentVersion = 1;
    public const string ReadyType = "media.ready";
    public const string FailedType = "media.failed";

    /// <summary>Message attribute names: the type and the version, for filter policies.</summary>
    public const string TypeAttribute = "type";

    public const string VersionAttribute = "version";
}

/// <summary>A variant and the API path a subscriber fetches it from, with its own credentials.</summary>
public sealed record MediaEventVariant(string Url, string ContentType, int Width, int Height, long Size);
