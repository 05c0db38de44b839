// Asks the coordinator the Api serves at /mcp with the official TypeScript MCP client, presenting an API key, and
// prints what it saw as one JSON line: the server, the tools listed and the call's result, or the error that refused it.
// usage: node ask-agent.mjs URL [KEY] [MESSAGE]   (no KEY, or an empty one: no X-Api-Key header is sent)
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [url, key, message = 'I was charged twice on INV-1002, please refund it'] = process.argv.slice(2);
if (!url) {
  process.stderr.write('usage: node ask-agent.mjs URL [KEY] [MESSAGE]\n');
  process.exit(2);
}

const headers = key ? { 'X-Api-Key': key } : {};
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
const client = new Client({ name: 'agentsuite-typescript-agent-client', version: '1.0.0' });
let report;
try {
  await client.connect(transport);
  const { tools } = await client.listTools();
  const result = await client.callTool({ name: 'ask_coordinator', arguments: { message } });
  report = {
    server: client.getServerVersion()?.name ?? null,
    sessionId: transport.sessionId ?? null,
    tools: tools.map(t => ({ name: t.name, required: t.inputSchema?.required ?? [], annotations: t.annotations ?? null })),
    call: {
      isError: result.isError === true,
      text: (result.content ?? []).filter(c => c.type === 'text').map(c => c.text).join(''),
    },
  };
} catch (error) {
  // A refusal is a result here, not a crash: the HTTP status (401, 403) when the transport saw one, else the MCP error code.
  report = { error: { code: error?.code ?? null, name: error?.name ?? null, message: String(error?.message ?? error) } };
} finally {
  await client.close().catch(() => {});
}

process.stdout.write(JSON.stringify(report) + '\n');
