namespace Desirable.MediaProcessor;

/// <summary>
/// The file cannot be processed and trying again cannot help (too many pixels, too long, not decodable). The item
/// becomes Failed with <see cref="Exception.Message"/> as its reason, which is written for the item's owner.
/// </summary>
public sealed class ProcessingRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
