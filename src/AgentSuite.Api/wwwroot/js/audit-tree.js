// The hand-off tree of a conversation's audit: per turn (run), the coordinator's calls, and under each hand-off
// (agents/ask_NAME) the specialist's calls. The tree is the '/'-separated path of each entry's toolCallId.
import { describeEntry } from './audit-kinds.js';
import { chip, clock, dateTime, h } from './dom.js';

const parentOf = id => (id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '');

export function renderTree(container, entries) {
  const runs = new Map();
  for (const entry of entries) {
    if (!entry.toolCallId) continue;
    const key = entry.runId ?? '';
    if (!runs.has(key)) runs.set(key, []);
    runs.get(key).push(entry);
  }
  if (runs.size === 0) {
    container.replaceChildren(h('p', { class: 'empty' }, 'No tool calls in this conversation yet.'));
    return;
  }
  let turn = 0;
  container.replaceChildren(...[...runs].map(([runId, runEntries]) => renderRun(++turn, runId, runEntries)));
}

function renderRun(turn, runId, entries) {
  const calls = new Map();
  for (const entry of entries) {
    let call = calls.get(entry.toolCallId);
    if (!call) {
      call = { id: entry.toolCallId, tool: entry.tool, agent: entry.agent, entries: [], children: [] };
      calls.set(call.id, call);
    }
    call.tool ??= entry.tool;
    call.agent ??= entry.agent;
    call.entries.push(entry);
  }
  const roots = [];
  for (const call of calls.values()) {
    const parent = calls.get(parentOf(call.id));
    (parent ? parent.children : roots).push(call);
  }
  const first = entries[0];
  const rootAgent = roots[0]?.agent ?? 'coordinator';
  return h('section', { class: 'run', dataset: { runId } },
    h('header', { class: 'run-head' },
      h('strong', {}, `Turn ${turn}`),
      first.principal ? h('span', { class: 'muted' }, ` for ${first.principal}`) : null,
      h('time', { class: 'muted', datetime: first.at, title: dateTime(first.at) }, ` · ${clock(first.at)}`),
      runId ? h('code', { class: 'run-id', title: 'Run id' }, runId) : null),
    h('ul', { class: 'tree-root' }, agentNode(rootAgent, roots)));
}

function agentNode(agent, calls) {
  return h('li', { class: 'tree-agent', dataset: { agent } },
    h('div', { class: 'node-head' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, agent.slice(0, 1).toUpperCase()), h('strong', {}, agent)),
    calls.length ? h('ul', {}, calls.map(callNode)) : null);
}

function callNode(call) {
  const outcome = call.entries.map(entry => {
    const [label, tone] = describeEntry(entry);
    const by = entry.kind === 'approval.resolved' && entry.principal ? ` by ${entry.principal}` : '';
    return h('span', { title: entry.reason ?? '' }, chip(label + by, tone));
  });
  const handOff = call.tool?.startsWith('agents/');
  const specialist = call.children[0]?.agent ?? call.tool?.replace(/^agents\/(ask_)?/, '');
  return h('li', { class: `tree-call${handOff ? ' hand-off' : ''}`, dataset: { callId: call.id, tool: call.tool ?? '' } },
    h('div', { class: 'node-head' },
      h('code', { class: 'tool' }, call.tool ?? 'tool'),
      h('span', { class: 'outcome' }, outcome),
      h('span', { class: 'call-id' }, call.id)),
    handOff && call.children.length ? h('ul', {}, agentNode(specialist, call.children))
      : call.children.length ? h('ul', {}, call.children.map(callNode)) : null);
}
