using Desirable.Media.Model;

namespace Desirable.Media.Tests.Catalog;

/// <summary>Every shape of list query the API makes: an owner's or everybody's, by kind, by status, first or next page.</summary>
public static class ListQueryShapes
{
    public static TheoryData<string?, MediaKind?, MediaStatus?, bool> All()
    {
        var data = new TheoryData<string?, MediaKind?, MediaStatus?, bool>();
        foreach (var owner in new[] { "ann", null })
        {
            foreach (var kind in new MediaKind?[] { null, MediaKind.Image })
            {
                foreach (var status in new MediaStatus?[] { null, MediaStatus.Ready })
                {
                    data.Add(owner, kind, status, false);
                    data.Add(owner, kind, status, true);
                }
            }
        }

        return data;
    }
}
