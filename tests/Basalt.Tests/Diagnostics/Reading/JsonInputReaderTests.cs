using System.Text;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Tests.Diagnostics.Reading;

public sealed class JsonInputReaderTests
{
    private static readonly InputCodes Codes = new("T1", "T2", "T3", "T4", "T5", "T6", "T7");

    private static InputNode? Read(string json, List<Diagnostic> diagnostics, bool allowComments = false)
        => JsonInputReader.Read(Encoding.UTF8.GetBytes(json), "x.json", Codes, InputLimits.Default, diagnostics, allowComments);

    [Fact]
    public void Nested_objects_and_arrays_keep_the_names_they_are_values_of()
    {
        var diagnostics = new List<Diagnostic>();
        var root = Read("{\"a\":{\"b\":{\"c\":1},\"d\":[{\"e\":\"f\"}]},\n\"g\":true}", diagnostics)!;

        Assert.Empty(diagnostics);
        Assert.Equal(["a", "g"], root.Entries.Select(e => e.Key.Scalar));
        var a = root.Get("a")!;
        Assert.Equal("1", a.Get("b")!.Get("c")!.Scalar);
        Assert.True(a.Get("b")!.Get("c")!.IsPlain);
        Assert.Equal("f", a.Get("d")!.Items[0].Get("e")!.Scalar);
        Assert.False(a.Get("d")!.Items[0].Get("e")!.IsPlain);
        Assert.Equal((2, 5), (root.Get("g")!.Location.Line, root.Get("g")!.Location.Column));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_syntax_errors_unless_allowed()
    {
        const string Json = "{\n// note\n\"a\": [1, 2,],\n}";
        var strict = new List<Diagnostic>();
        var lenient = new List<Diagnostic>();

        Assert.Null(Read(Json, strict));
        Assert.Equal(("T1", 2), (Assert.Single(strict).Code, strict[0].Location!.Line));
        Assert.Equal(2, Read(Json, lenient, allowComments: true)!.Get("a")!.Items.Count);
        Assert.Empty(lenient);
    }
}
