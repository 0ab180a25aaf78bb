using Basalt.Identity.Aws;

namespace Basalt.Tests.Identity.Aws;

public sealed class CallerArnTests
{
    [Fact]
    public void An_identity_center_session_is_the_person_with_their_permission_set()
    {
        var caller = CallerArn.Parse("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_BedrockInference_0123456789abcdef/alice")!;

        Assert.Equal("arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_BedrockInference_0123456789abcdef/alice", caller.UserId);
        Assert.Equal("alice", caller.DisplayName);
        Assert.Equal("111122223333", caller.Account);
        Assert.Equal("AWSReservedSSO_BedrockInference_0123456789abcdef", caller.Role);
        Assert.Equal("BedrockInference", caller.PermissionSet);
    }

    [Fact]
    public void An_iam_user_and_a_plain_role_session_have_no_permission_set()
    {
        var user = CallerArn.Parse("arn:aws:iam::111122223333:user/engineering/bob")!;
        Assert.Equal("bob", user.DisplayName);
        Assert.Null(user.Role);

        var session = CallerArn.Parse("arn:aws-us-gov:sts::111122223333:assumed-role/Developer/ci-run-7")!;
        Assert.Equal("Developer", session.Role);
        Assert.Null(session.PermissionSet);
    }

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/Developer")]
    [InlineData("arn:aws:sts::111122223333:federated-user/x")]
    [InlineData("arn:aws:sts::1111:assumed-role/R/s")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/R")]
    [InlineData("arn:aws:sts::111122223333:assumed-role/R/s/extra")]
    [InlineData("not an arn")]
    public void Anything_else_is_not_a_person(string arn) => Assert.Null(CallerArn.Parse(arn));
}
