using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Unwraps a signed configuration profile: MDMs and Apple Configurator wrap the plist in CMS SignedData (RFC 5652)
/// with the plist as encapsulated content. Only the content is taken; the signature is not verified here (macOS
/// checks it at install time), which is reported as an info diagnostic.
/// </summary>
internal static class SignedProfile
{
    private const string SignedDataOid = "1.2.840.113549.1.7.2";

    /// <summary>A DER/BER SEQUENCE at offset 0; plists start with '&lt;', whitespace or "bplist".</summary>
    public static bool LooksSigned(ReadOnlySpan<byte> bytes) => bytes.Length > 2 && bytes[0] == 0x30;

    public static byte[]? Unwrap(ReadOnlySpan<byte> bytes, DiagnosticBag diagnostics)
    {
        try
        {
            var reader = new AsnReader(bytes.ToArray(), AsnEncodingRules.BER);
            var contentInfo = reader.ReadSequence();
            var contentType = contentInfo.ReadObjectIdentifier();
            if (contentType != SignedDataOid)
            {
                diagnostics.Error(FormatDiagnosticCodes.SignedProfile, 0, $"The file is CMS content of type {contentType}, not a signed profile (SignedData).",
                    "Export the profile unsigned or signed with CMS SignedData.");
                return null;
            }

            var signedData = contentInfo.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadSequence();
            signedData.ReadInteger();
            signedData.ReadSetOf();
            var encapsulated = signedData.ReadSequence();
            encapsulated.ReadObjectIdentifier();
            if (!encapsulated.HasData)
            {
                diagnostics.Error(FormatDiagnosticCodes.SignedProfile, 0, "The signed profile is detached: it carries a signature but not the profile itself.",
                    "Sign with the content attached (e.g. `openssl smime -sign -nodetach`).");
                return null;
            }

            var content = encapsulated.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0)).ReadOctetString();
            diagnostics.Info(FormatDiagnosticCodes.SignedProfile, 0, "The profile is signed; its content was read but the signature was not verified (macOS verifies it at install time).");
            return content;
        }
        catch (Exception ex) when (ex is AsnContentException or CryptographicException or ArgumentException)
        {
            diagnostics.Error(FormatDiagnosticCodes.SignedProfile, 0, "The file looks like a signed profile (CMS) but cannot be decoded: " + ex.Message,
                "Re-export the profile from the MDM, or provide the unsigned .mobileconfig.");
            return null;
        }
    }
}
