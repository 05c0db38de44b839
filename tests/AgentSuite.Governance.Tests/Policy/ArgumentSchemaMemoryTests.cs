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
            // A stack far larger than the headroom, so no stack freed or cached by an earlier build can stand in for it; the
            // headroom is wide enough that the runtime's own small reservations meanwhile (JIT, thread pool) still succeed.
            using (AddressSpaceLimit.Lower(headroomBytes: 256 * 1024 * 1024))
            {
                Assert.Equal(
                    "there was no memory for the 1024 MB stack that building it needs",
                    ArgumentSchema.Build(schema.RootElement, ArgumentSchema.BuildTimeout, 1024 * 1024 * 1024).Problem);
            }
        }

        Assert.Null(ArgumentSchema.Build(schema.RootElement).Problem);
    }
}
