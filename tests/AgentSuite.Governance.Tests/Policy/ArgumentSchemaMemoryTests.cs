using System.Text.Json;
using AgentSuite.Governance.Policy;
using AgentSuite.Governance.Tests.Support;

namespace AgentSuite.Governance.Tests.Policy;

[Collection(AddressSpaceCollection.Name)]
public class ArgumentSchemaMemoryTests
{
    [Fact]
    public void BuildThatCannotReserveItsStackMakesTheSchemaUnusableInsteadOfThrowing()
    {
        using var schema = JsonDocument.Parse("""{ "type": "object" }""");
        // Only Linux enforces an address-space limit; elsewhere the thread gets its stack and the schema builds.
        if (OperatingSystem.IsLinux())
        {
            using (AddressSpaceLimit.Lower(headroomBytes: 16 * 1024 * 1024))
            {
                Assert.Equal(
                    "there was no memory for the 64 MB stack that building it needs",
                    ArgumentSchema.Build(schema.RootElement).Problem);
            }
        }

        Assert.Null(ArgumentSchema.Build(schema.RootElement).Problem);
    }
}
