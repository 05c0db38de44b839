using AgentSuite.Governance.Approvals;
using AgentSuite.Governance.Screening;

namespace AgentSuite.Governance.Tests.Filters;

/// <summary>What an approval keeps of the customer's message: secrets masked, then at most 500 characters.</summary>
public sealed class CustomerRequestTests
{
    [Fact]
    public void AShortMessageIsKeptAsItIsAndAnEmptyOneIsNone()
    {
        Assert.Equal("please refund INV-1006", CustomerRequest.Prepare("please refund INV-1006", new SecretRedactor()));
        Assert.Null(CustomerRequest.Prepare("  ", new SecretRedactor()));
        Assert.Null(CustomerRequest.Prepare(null, null));
    }

    [Fact]
    public void ASecretIsMaskedEvenWhereTheCapWouldCutIt()
    {
        // 515 characters as sent, so a cut would fall inside the secret; masked first, it fits.
        var message = new string('a', 480) + " api_key=abc123secretvalue0123456789";

        var kept = CustomerRequest.Prepare(message, new SecretRedactor())!;

        Assert.DoesNotContain("abc123", kept, StringComparison.Ordinal);
        Assert.EndsWith(" api_key=[REDACTED]", kept, StringComparison.Ordinal);
    }

    [Fact]
    public void ALongMessageIsCutTo500CharactersWithAnEllipsisNeverInsideACharacter()
    {
        Assert.Equal(new string('y', 499) + "…", CustomerRequest.Prepare(new string('y', 501), null));
        var kept = CustomerRequest.Prepare(new string('x', 498) + "😀😀 and more", null)!;

        Assert.Equal(new string('x', 498) + "…", kept);
    }
}
