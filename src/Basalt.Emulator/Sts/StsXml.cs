using System.Globalization;
using System.Text;
using System.Xml;
using Basalt.Emulator.Http;
using Basalt.Emulator.Identity;
using Microsoft.AspNetCore.Http;

namespace Basalt.Emulator.Sts;

/// <summary>
/// Writes STS awsQuery responses as AWS shapes them: <c>&lt;{Action}Response xmlns="https://sts.amazonaws.com/doc/2011-06-15/"&gt;</c>
/// around <c>&lt;{Action}Result&gt;</c> and <c>&lt;ResponseMetadata&gt;&lt;RequestId&gt;</c>.
/// </summary>
internal static class StsXml
{
    public static async Task WriteAsync(HttpContext context, string action, Action<XmlWriter> writeResult)
    {
        const string Ns = AwsErrors.StsNamespace;
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, OmitXmlDeclaration = true };
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartElement(action + "Response", Ns);
            xml.WriteStartElement(action + "Result", Ns);
            writeResult(xml);
            xml.WriteEndElement();
            xml.WriteStartElement("ResponseMetadata", Ns);
            xml.WriteElementString("RequestId", Ns, EmulatorHttp.RequestId(context));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/xml";
        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }

    public static void Element(XmlWriter xml, string name, string value) => xml.WriteElementString(name, AwsErrors.StsNamespace, value);

    public static void Credentials(XmlWriter xml, SigningCredential credential)
    {
        xml.WriteStartElement("Credentials", AwsErrors.StsNamespace);
        Element(xml, "AccessKeyId", credential.AccessKeyId);
        Element(xml, "SecretAccessKey", credential.SecretAccessKey);
        Element(xml, "SessionToken", credential.SessionToken ?? string.Empty);
        Element(xml, "Expiration", Timestamp(credential.Expiration!.Value));
        xml.WriteEndElement();
    }

    public static void AssumedRoleUser(XmlWriter xml, EmulatorPrincipal principal)
    {
        xml.WriteStartElement("AssumedRoleUser", AwsErrors.StsNamespace);
        Element(xml, "AssumedRoleId", principal.UserId);
        Element(xml, "Arn", principal.Arn);
        xml.WriteEndElement();
    }

    /// <summary>ISO 8601 UTC to the second, as STS writes <c>Expiration</c>.</summary>
    public static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
