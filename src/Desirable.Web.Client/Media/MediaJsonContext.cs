using System.Text.Json;
using System.Text.Json.Serialization;

namespace Desirable.Web.Client.Media;

/// <summary>
/// The API's JSON as the page reads it, with serializers made at compile time: on WebAssembly the runtime interprets
/// most code, so reflecting over the models on the first list (as the default serializer does) delays the first
/// thumbnails, and the generated code is what a trimmed client keeps without guessing.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(MediaPage))]
[JsonSerializable(typeof(MediaItem))]
[JsonSerializable(typeof(UploadPolicy))]
[JsonSerializable(typeof(Problem))]
[JsonSerializable(typeof(Dictionary<string, Dictionary<string, string?>>))]
internal sealed partial class MediaJsonContext : JsonSerializerContext;
