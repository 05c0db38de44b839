// Lists a plugin's tools and calls one with the official TypeScript MCP client, then prints what it saw as one JSON line.
// usage: node client.mjs '<spec>'  where spec is
//   {"transport":"stdio","command":"dotnet","args":["Billing.McpServer.dll","--data","/tmp/x.db"],"call":{"name":"get_invoice","arguments":{...}}}
//   {"transport":"http","url":"http://127.0.0.1:PORT/mcp","call":{...}}
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const spec = JSON.parse(process.argv[2] ?? '{}');

function transportFor(spec) {
  switch (spec.transport) {
    case 'stdio':
      // The whole environment, so dotnet finds its SDK and HOME; the plugin's stderr is its log, passed through for failures.
      return new StdioClientTransport({ command: spec.command, args: spec.args ?? [], env: { ...process.env }, stderr: 'inherit' });
    case 'http':
      return new StreamableHTTPClientTransport(new URL(spec.url));
    default:
      throw new Error(`transport must be "stdio" or "http", got ${JSON.stringify(spec.transport)}`);
  }
}

const client = new Client({ name: 'agentsuite-typescript-client', version: '1.0.0' });
const transport = transportFor(spec);
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const result = await client.callTool({ name: spec.call.name, arguments: spec.call.arguments ?? {} });
  const report = {
    server: client.getServerVersion()?.name ?? null,
    sessionId: transport.sessionId ?? null,
    tools: tools.map(t => ({ name: t.name, annotations: t.annotations ?? null })),
    call: {
      isError: result.isError === true,
      text: (result.content ?? []).filter(c => c.type === 'text').map(c => c.text).join(''),
    },
  };
  process.stdout.write(JSON.stringify(report) + '\n');
} finally {
  await client.close();
}
