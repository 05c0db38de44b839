// The audit as a timeline: every entry in order, with its hash link to the one before.
import { describeEntry } from './audit-kinds.js';
import { chip, clock, dateTime, h, prettyJson, shortHash } from './dom.js';

/** showConversation: the entries span conversations, so each says which it belongs to. */
export function renderTimeline(list, entries, { showConversation = false } = {}) {
  if (entries.length === 0) {
    list.replaceChildren(h('li', { class: 'empty' }, 'No audit entries match yet.'));
    return;
  }
  list.replaceChildren(...entries.map(e => entry(e, showConversation)));
}

function entry(e, showConversation) {
  const [label, tone] = describeEntry(e);
  const hasData = e.data && Object.keys(e.data).length > 0;
  return h('li', { class: `entry ${tone}`, dataset: { seq: e.seq, kind: e.kind } },
    h('div', { class: 'entry-rail' }, h('span', { class: 'dot' })),
    h('div', { class: 'entry-body' },
      h('div', { class: 'entry-head' },
        h('span', { class: 'seq' }, `#${e.seq}`),
        h('time', { datetime: e.at, title: dateTime(e.at) }, clock(e.at)),
        chip(label, tone),
        e.agent ? h('strong', {}, e.agent) : null,
        e.tool ? h('code', { class: 'tool' }, e.tool) : null,
        e.toolCallId ? h('span', { class: 'call-id' }, e.toolCallId) : null),
      e.reason ? h('p', { class: 'entry-reason' }, e.reason) : null,
      h('p', { class: 'entry-meta muted' },
        showConversation && e.conversationId ? [h('code', { class: 'conversation-id' }, e.conversationId), ' · '] : null,
        e.principal ? ['for ', h('strong', {}, e.principal), ' · '] : null,
        'hash ', h('code', { title: e.hash }, shortHash(e.hash)),
        e.prevHash ? [' ← ', h('code', { title: e.prevHash }, shortHash(e.prevHash))] : null),
      hasData ? h('details', {}, h('summary', {}, 'Data'), h('pre', {}, prettyJson(e.data))) : null));
}
