namespace Desirable.Contracts;

/// <summary>Where the public API lives: the media service serves it, the gateway routes it, the web client calls it.</summary>
public static class ApiPaths
{
    /// <summary>The API's version prefix; version 2's paths had none.</summary>
    public const string Prefix = "/v3.0";

    /// <summary>The media collection.</summary>
    public const string Media = Prefix + "/media";
}
