using Navigate.Plugins.OmeZarr.Tests.TestSupport;

namespace Navigate.Plugins.OmeZarr.Tests;

/// <summary>
/// The OME-NGFF rows of docs/bad-input.md: images whose arrays contradict each other, refused when the dataset is
/// opened, each with its own exception type and exact message (never a later, unrelated buffer-size error).
/// </summary>
public sealed class OmeZarrBadInput : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The fixture: our 19×11 uint16 dataset (z 3, levels 0..3), closed after 3 frames, or complete (2 positions).</summary>
    private string Dataset(string layout = "navigate", long? frames = 3) => OmeZarrLayoutTests.Write(_temp.Combine($"d{Guid.NewGuid():N}.zarr"), layout, frames: frames);

    /// <summary>Rewrites an array's dtype in its .zarray (the writer may escape '&lt;' as \u003C).</summary>
    private static void SetDtype(string zarray, string dtype)
    {
        var text = File.ReadAllText(zarray);
        var changed = text.Replace("\"<u2\"", $"\"{dtype}\"", StringComparison.Ordinal).Replace("\"\\u003Cu2\"", $"\"{dtype}\"", StringComparison.Ordinal);
        Assert.NotEqual(text, changed);
        File.WriteAllText(zarray, changed);
    }

    [Fact]
    public void LevelOfAnotherDtype()
    {
        var path = Dataset();
        SetDtype(Path.Combine(path, "p0_1", ".zarray"), "|u1");
        AssertBad<OmeZarrLayoutException>(
            () => OmeZarrDataSource.Open(path),
            $"{path}: array 'p0_1' holds |u1 (uint8); expected <u2 (uint16), the data type of level 0 'p0_0': every level of every image must have one data type.");
    }

    [Fact]
    public void LevelOfAnotherDtypeOfTheSameSize()
    {
        // Same bytes per pixel, so no buffer would ever notice: int16 levels under a uint16 level 0 read as wrong values.
        var path = Dataset();
        SetDtype(Path.Combine(path, "p0_3", ".zarray"), "<i2");
        AssertBad<OmeZarrLayoutException>(
            () => OmeZarrDataSource.Open(path),
            $"{path}: array 'p0_3' holds <i2 (int16); expected <u2 (uint16), the data type of level 0 'p0_0': every level of every image must have one data type.");
    }

    [Fact]
    public void PositionOfAnotherDtype()
    {
        var path = Dataset("bioformats2raw", frames: null);
        foreach (var level in Directory.GetDirectories(Path.Combine(path, "1")))
        {
            SetDtype(Path.Combine(level, ".zarray"), "<f4");
        }

        AssertBad<OmeZarrLayoutException>(
            () => OmeZarrDataSource.Open(path),
            $"{path}: array '1/0' holds <f4 (float32); expected <u2 (uint16), the data type of level 0 '0/0': every level of every image must have one data type.");
    }

    [Fact]
    public void LevelOfAnotherRank()
    {
        var path = Dataset();
        var zarray = Path.Combine(path, "p0_2", ".zarray");
        File.WriteAllText(zarray, File.ReadAllText(zarray).Replace("\"shape\": [", "\"shape\": [1, ", StringComparison.Ordinal).Replace("\"chunks\": [", "\"chunks\": [1, ", StringComparison.Ordinal));
        AssertBad<OmeZarrLayoutException>(
            () => OmeZarrDataSource.Open(path),
            $"{path}: array 'p0_2' has 6 dimensions but its multiscale has 5 axes (t, c, z, y, x).");
    }

    [Fact]
    public void BigEndianLevelIsTheSameDtype()
    {
        // Byte order is per array and the engine swaps it on read: '>u2' under '<u2' is the same pixel type, not bad input.
        var path = Dataset();
        SetDtype(Path.Combine(path, "p0_1", ".zarray"), ">u2");
        foreach (var chunk in Directory.GetFiles(Path.Combine(path, "p0_1")).Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            File.Delete(chunk);
        }

        using var read = OmeZarrDataSource.Open(path);
        Assert.Equal(4, read.Shapes.Count);
    }

    private static void AssertBad<T>(Func<object?> action, string message)
        where T : OmeZarrException
    {
        T e = Assert.Throws<T>(() => { _ = action(); });
        Assert.Equal(message, e.Message);
    }
}
