namespace Desirable.AppHost.Modes;

/// <summary>How the AppHost provides the platform's infrastructure. Services never see the mode, only configuration.</summary>
public enum DesirableMode
{
    /// <summary>No containers: fauxqs (S3, SQS, SNS) on Node and a SQLite catalog file. Needs the .NET SDK and Node.</summary>
    Embedded,

    /// <summary>MongoDB and an AWS emulator in containers. Not built yet (issue 3); asking for it is an error.</summary>
    Containers,
}
