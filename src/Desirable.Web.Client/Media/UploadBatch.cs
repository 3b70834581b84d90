namespace Desirable.Web.Client.Media;

/// <summary>A file as the browser describes it before anything is read (its bytes stay in the browser).</summary>
public sealed record FileDescription(string Id, string Name, long Size, string? Type);

public enum UploadState
{
    Queued,
    Sending,
    Done,
    Rejected,
    Cancelled,
}

/// <summary>One file of the upload list: its progress while it goes up, then the item or the reason it did not.</summary>
public sealed class UploadEntry(FileDescription file)
{
    public FileDescription File { get; } = file;

    public UploadState State { get; internal set; } = UploadState.Queued;

    public long Sent { get; internal set; }

    public DateTimeOffset? StartedAt { get; internal set; }

    public double BytesPerSecond { get; internal set; }

    public Problem? Problem { get; internal set; }

    public MediaItem? Item { get; internal set; }

    public bool IsFinished => State is UploadState.Done or UploadState.Rejected or UploadState.Cancelled;
}

/// <summary>
/// The page's uploads: each file is checked against the server's policy before it is sent (a file the server would
/// refuse for its size or declared type is refused here, with the same reason, without sending a byte); a few go up at
/// once and the rest wait their turn. The server still decides on the bytes themselves.
/// </summary>
public sealed class UploadBatch
{
    /// <summary>How many files go up at once: enough to keep a connection busy, few enough that each shows progress.</summary>
    public const int Concurrent = 3;

    private readonly List<UploadEntry> _entries = [];

    public IReadOnlyList<UploadEntry> Entries => _entries;

    public UploadEntry Add(FileDescription file, UploadPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(policy);
        var entry = new UploadEntry(file) { Problem = Check(file, policy) };
        if (entry.Problem is not null)
        {
            entry.State = UploadState.Rejected;
        }

        _entries.Add(entry);
        return entry;
    }

    /// <summary>The files to start now: queued ones, while fewer than <see cref="Concurrent"/> are being sent.</summary>
    public IReadOnlyList<UploadEntry> TakeNext(DateTimeOffset now)
    {
        var free = Concurrent - _entries.Count(e => e.State == UploadState.Sending);
        var next = _entries.Where(e => e.State == UploadState.Queued).Take(Math.Max(0, free)).ToList();
        foreach (var entry in next)
        {
            entry.State = UploadState.Sending;
            entry.StartedAt = now;
        }

        return next;
    }

    public void Progress(string id, long sent, DateTimeOffset now)
    {
        if (Find(id) is { State: UploadState.Sending, StartedAt: { } started } entry)
        {
            entry.Sent = sent;
            var seconds = (now - started).TotalSeconds;
            entry.BytesPerSecond = seconds > 0 ? sent / seconds : 0;
        }
    }

    /// <summary>Records how the request ended: 201 with the item, or the problem the server (or the network) gave.</summary>
    public void Finish(string id, MediaItem? item, Problem? problem)
    {
        if (Find(id) is not { } entry || entry.IsFinished)
        {
            return;
        }

        entry.Item = item;
        entry.Problem = item is null ? problem : null;
        entry.State = item is null ? UploadState.Rejected : UploadState.Done;
        if (item is not null)
        {
            entry.Sent = entry.File.Size;
        }
    }

    /// <summary>Stops a file that waits or goes up; true when it had not finished.</summary>
    public bool Cancel(string id)
    {
        if (Find(id) is not { IsFinished: false } entry)
        {
            return false;
        }

        entry.State = UploadState.Cancelled;
        return true;
    }

    /// <summary>Takes finished files off the list.</summary>
    public void ClearFinished() => _entries.RemoveAll(e => e.IsFinished);

    private UploadEntry? Find(string id) => _entries.FirstOrDefault(e => e.File.Id == id);

    private static Problem? Check(FileDescription file, UploadPolicy policy)
    {
        if (!policy.CanUpload)
        {
            return new Problem("Not allowed", policy.Reason ?? "Your account may not upload.", 403);
        }

        if (file.Size == 0)
        {
            return new Problem("Empty file", $"{file.Name} has no content.", 400);
        }

        if (file.Size > policy.MaxFileSizeBytes)
        {
            return new Problem("File too large",
                $"{file.Name} is {Formats.Size(file.Size)}; files may be at most {Formats.Size(policy.MaxFileSizeBytes)}.", 413);
        }

        // The browser's type comes from the name. An unknown one is left to the server, which reads the bytes.
        if (!string.IsNullOrEmpty(file.Type) && !policy.AllowedContentTypes.Contains(file.Type, StringComparer.OrdinalIgnoreCase))
        {
            return new Problem("Unsupported file type",
                $"{file.Name} is not an accepted image or video ({string.Join(", ", policy.AllowedContentTypes.Select(Formats.TypeName))}).", 415);
        }

        return null;
    }
}
