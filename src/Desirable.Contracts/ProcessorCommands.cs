namespace Desirable.Contracts;

/// <summary>The processor's operator commands, as the AppHost's dashboard calls them.</summary>
public static class ProcessorCommands
{
    /// <summary>POST: sends the dead-letter queue's jobs through processing again.</summary>
    public const string RedrivePath = "/commands/redrive";

    /// <summary>The header that carries the key the AppHost gave the processor (<c>Processing__CommandKey</c>).</summary>
    public const string KeyHeader = "X-Desirable-Command-Key";

    public const string KeyVariable = "Processing__CommandKey";
}
