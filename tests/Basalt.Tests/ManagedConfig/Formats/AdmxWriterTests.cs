using System.Text.RegularExpressions;
using System.Xml.Linq;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Tests.ManagedConfig.Formats;

public sealed class AdmxWriterTests
{
    private static readonly XNamespace Ns = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions";

    private static (XDocument Admx, XDocument Adml) Load()
    {
        var files = ManagedConfigWriter.WriteAdmx();
        Assert.Equal(ManagedConfigWriter.AdmxFileNames, files.Keys.Order().ToList());
        using var admx = new MemoryStream(files["claude.admx"]);
        using var adml = new MemoryStream(files["en-US/claude.adml"]);
        return (XDocument.Load(admx), XDocument.Load(adml));
    }

    [Fact]
    public void Every_catalogue_key_has_one_policy_writing_directly_under_the_policy_key()
    {
        var (admx, _) = Load();
        var policies = admx.Descendants(Ns + "policy").ToList();
        var expected = KeyCatalogue.All.Select(k => k.Name).DistinctBy(n => n.ToUpperInvariant()).ToList();
        Assert.Equal(expected, policies.Select(p => (string)p.Attribute("name")!));
        foreach (var policy in policies)
        {
            var name = (string)policy.Attribute("name")!;
            Assert.Equal(@"SOFTWARE\Policies\Claude", (string?)policy.Attribute("key"));
            Assert.Equal("Both", (string?)policy.Attribute("class"));
            // The §1.4 pitfall: an element with its own key writes to a subkey the app never reads.
            Assert.All(policy.Descendants().Where(e => e.Attribute("key") is not null), e => Assert.Fail($"{name}: <{e.Name.LocalName}> has its own key"));
            var elements = policy.Element(Ns + "elements")?.Elements().ToList() ?? [];
            var definition = KeyCatalogue.Find(name)!;
            if (definition.ValueType == ConfigValueType.Boolean)
            {
                Assert.Empty(elements);
                Assert.Equal(name, (string?)policy.Attribute("valueName"));
                Assert.Equal("true", (string?)policy.Element(Ns + "enabledValue")!.Element(Ns + "string"));
                Assert.Equal("false", (string?)policy.Element(Ns + "disabledValue")!.Element(Ns + "string"));
                continue;
            }

            var element = Assert.Single(elements);
            Assert.Equal(name, (string?)element.Attribute("valueName"));
            Assert.NotEqual("true", (string?)element.Attribute("expandable"));
            switch (element.Name.LocalName)
            {
                case "decimal":
                    Assert.Equal("true", (string?)element.Attribute("storeAsText"));
                    Assert.Equal(ConfigValueType.Integer, definition.ValueType);
                    break;
                case "enum":
                    Assert.Equal(definition.EnumValues, element.Elements(Ns + "item").Select(i => (string)i.Element(Ns + "value")!.Element(Ns + "string")!));
                    break;
                case "text":
                    // ADMX text defaults to 1023 characters, too short for JSON documents such as managedMcpServers.
                    Assert.Equal(definition.MaxLength ?? 32767, (int)element.Attribute("maxLength")!);
                    break;
                default:
                    Assert.Fail($"{name}: <{element.Name.LocalName}> would not write REG_SZ");
                    break;
            }
        }
    }

    [Fact]
    public void Every_string_and_presentation_reference_resolves_in_the_adml()
    {
        var (admx, adml) = Load();
        var strings = adml.Descendants(Ns + "string").Select(s => (string)s.Attribute("id")!).ToList();
        Assert.Equal(strings.Count, strings.Distinct().Count());
        var presentations = adml.Descendants(Ns + "presentation").ToDictionary(p => (string)p.Attribute("id")!);
        var text = admx.ToString();
        foreach (Match m in Regex.Matches(text, @"\$\(string\.([^)]+)\)"))
        {
            Assert.Contains(m.Groups[1].Value, strings);
        }

        foreach (var policy in admx.Descendants(Ns + "policy").Where(p => p.Attribute("presentation") is not null))
        {
            var id = Regex.Match((string)policy.Attribute("presentation")!, @"\$\(presentation\.([^)]+)\)").Groups[1].Value;
            var refs = presentations[id].Elements().Select(e => (string?)e.Attribute("refId")).ToList();
            Assert.Equal(policy.Element(Ns + "elements")!.Elements().Select(e => (string?)e.Attribute("id")), refs);
        }

        var categories = admx.Descendants(Ns + "category").Select(c => (string)c.Attribute("name")!).ToHashSet();
        Assert.All(admx.Descendants(Ns + "parentCategory"), p => Assert.Contains((string)p.Attribute("ref")!, categories));
    }

    [Fact]
    public void Templates_are_deterministic()
    {
        var a = ManagedConfigWriter.WriteAdmx();
        var b = ManagedConfigWriter.WriteAdmx();
        Assert.All(a, kv => Assert.Equal(kv.Value, b[kv.Key]));
    }
}
