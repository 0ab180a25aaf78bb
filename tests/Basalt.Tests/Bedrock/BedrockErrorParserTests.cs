using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockErrorParserTests
{
    [Theory]
    [InlineData("ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/", """{"message":"Too many requests"}""", "ThrottlingException", "Too many requests")]
    [InlineData(null, """{"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"}""", "ExpiredTokenException", "The security token included in the request is expired")]
    [InlineData(null, """{"code":"ValidationException","Message":"bad"}""", "ValidationException", "bad")]
    [InlineData("AccessDeniedException", """{"__type":"Other","message":"no"}""", "AccessDeniedException", "no")]
    [InlineData(null, "<html>502 Bad Gateway</html>", "UnknownError", null)]
    [InlineData(null, "", "UnknownError", null)]
    public void Error_type_comes_from_the_header_then_the_body(string? header, string body, string type, string? message)
    {
        var (parsedType, parsedMessage) = BedrockErrorParser.Parse(header, System.Text.Encoding.UTF8.GetBytes(body));

        Assert.Equal(type, parsedType);
        Assert.Equal(message, parsedMessage);
    }
}
