using Basalt.Identity.Groups;

namespace Basalt.Tests.Identity.Groups;

public sealed class GroupMappingTests
{
    private static Func<string, IReadOnlyList<string>> Claims(params (string Name, string[] Values)[] claims)
        => name => claims.FirstOrDefault(c => c.Name == name).Values ?? [];

    [Fact]
    public void Group_claim_values_are_groups_and_idp_group_ids_are_mapped()
    {
        var mapping = new GroupMapping { IdpGroups = new Dictionary<string, string> { ["6f1c-eng-object-id"] = "engineering" } };

        var groups = mapping.Resolve("user-1", Claims(("groups", ["6f1c-eng-object-id", "design"])));

        Assert.Equal(["design", "engineering"], groups);
    }

    [Fact]
    public void Unmapped_ids_are_dropped_when_the_idp_sends_opaque_ids()
    {
        var mapping = new GroupMapping { KeepUnmappedGroups = false, IdpGroups = new Dictionary<string, string> { ["id-1"] = "finance" } };

        Assert.Equal(["finance"], mapping.Resolve("u", Claims(("groups", ["id-1", "id-2"]))));
    }

    [Fact]
    public void Claim_rules_explicit_user_lists_and_defaults_add_groups()
    {
        var mapping = new GroupMapping
        {
            GroupClaims = ["roles"],
            ClaimRules = [new ClaimGroupRule("department", "Finance", "finance")],
            Users = new Dictionary<string, IReadOnlyList<string>> { ["admins"] = ["user-1"] },
            DefaultGroups = ["everyone"],
        };

        Assert.Equal(["admins", "everyone", "finance", "reader"], mapping.Resolve("user-1", Claims(("department", ["Finance"]), ("roles", ["reader"]), ("groups", ["ignored"]))));
        Assert.Equal(["everyone"], mapping.Resolve("user-2", Claims()));
    }
}
