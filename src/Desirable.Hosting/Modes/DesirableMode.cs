namespace Desirable.Hosting.Modes;

/// <summary>How the AppHost provides the platform's infrastructure. Services never see the mode, only configuration.</summary>
public enum DesirableMode
{
    /// <summary>No containers: fauxqs (S3, SQS, SNS) on Node and a SQLite catalog file. Needs the .NET SDK and Node.</summary>
    Embedded,

    /// <summary>MongoDB and an AWS emulator (Floci or LocalStack) in containers. Needs Docker or Podman.</summary>
    Containers,

    /// <summary>
    /// The developer's own stage on AWS: the stacks are provisioned through CloudFormation, and the services run on
    /// this machine against the real bucket, queues, topic and database. Needs AWS credentials.
    /// </summary>
    Aws,
}
