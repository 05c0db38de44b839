// The live trail of one turn, drawn as the hand-off tree it is: the coordinator's calls, and inside a hand-off call
// the specialist it started with that specialist's calls. A specialist's call ids carry the hand-off's id as a
// prefix (call_1/call_2), so every event finds its place from its toolCallId alone.
import { chip, clock, h } from './dom.js';

const parentOf = id => (id && id.includes('/') ? id.slice(0, id.lastIndexOf('/')) : '');

export class Trail {
  #root;
  #tree = null;
  #agents = new Map();       // the hand-off call that started an agent ('' for the coordinator) → its block
  #calls = new Map();        // tool call id → its block
  #latestByAgent = new Map();
  #resumedCalls = null;      // after a turn.resumed: the calls that have had a step since, each marked once

  constructor(root) {
    this.#root = root;
  }

  /** Starts a new trail for the turn that answers this message. */
  start(text) {
    this.#agents.clear();
    this.#calls.clear();
    this.#latestByAgent.clear();
    this.#resumedCalls = null;
    this.#tree = h('ol', { class: 'trail-tree' });
    this.#root.replaceChildren(h('p', { class: 'trail-request' }, 'Turn for ', h('q', {}, text)), this.#tree);
  }

  /** Adds one event of the turn; returns a sentence about what the turn is doing now, or null. */
  add(event) {
    // Follow the turn as it grows, unless the reader has scrolled up to read something.
    const box = this.#root.closest('.trail-card') ?? this.#root;
    const following = box.scrollHeight - box.scrollTop - box.clientHeight < 120;
    const status = this.#describe(event);
    if (following) box.scrollTop = box.scrollHeight;
    return status;
  }

  #describe(event) {
    const agent = event.agent ?? 'agent';
    const tool = event.tool ?? 'a tool';
    switch (event.type) {
      case 'agent.started':
        this.#agentBlock(event.toolCallId ?? '', event.agent).setState('working', 'info');
        return `${agent} is working…`;
      case 'tool.requested':
        this.#step(event, 'plain', 'requested');
        return `${agent} asked for ${tool}.`;
      case 'tool.decision':
        if (event.decision === 'denied') {
          this.#step(event, 'bad', 'denied', event.reason);
          return `Governance denied ${tool}.`;
        }
        this.#step(event, 'ok', event.decision ?? 'allowed', event.reason);
        return `${tool} is allowed.`;
      case 'approval.pending':
        this.#step(event, 'warn', 'waiting for approval', event.reason, h('span', { class: 'note' },
          'The turn waits until an approver other than the requester decides in the ',
          h('a', { href: '#approvals' }, 'Approvals inbox'), '.'));
        return `${tool} is waiting for an approver: someone other than the requester must decide in the Approvals inbox.`;
      case 'approval.resolved':
        return this.#resolved(event, tool);
      case 'tool.completed':
      case 'tool.replayed':
        if (event.decision === 'replayed' || event.type === 'tool.replayed') {
          this.#step(event, 'info', 'replayed', 'It ran before under the same key; the stored result was returned.');
        } else {
          this.#step(event, 'ok', 'completed');
        }
        return `${agent} has the result of ${tool}.`;
      case 'tool.failed':
        this.#step(event, 'bad', 'failed', event.reason);
        return `${tool} failed.`;
      case 'message.completed':
        this.#answered(event);
        return `${agent} answered.`;
      case 'message.delta':
        return null;
      case 'turn.completed':
        this.#end('ok', 'Turn completed', 'The reply is in the conversation.', event);
        return null;
      case 'turn.failed':
        this.#end('bad', 'Turn failed', event.reason, event);
        return null;
      case 'turn.resumed':
        // The Api stopped mid-turn and the next start picked the turn up from its checkpoint: a gap a reader should see.
        this.#resumedCalls = new Set();
        this.#tree?.append(h('li', { class: 'turn-line resumed', title: clock(event.at), dataset: { event: event.type } },
          chip('resumed', 'info'),
          h('span', { class: 'step-detail' }, 'The Api restarted; the turn was resumed', event.reason ? ` (${event.reason})` : '', '.')));
        return 'The Api restarted; the turn was resumed.';
      default:
        this.#tree?.append(h('li', { class: 'turn-line', dataset: { event: event.type ?? '' } }, chip(event.type ?? 'event'), event.reason ?? event.text));
        return null;
    }
  }

  /** A turn that ended without its last event in the trail (abandoned after a restart): its end as the Api records it. */
  ended(turn) {
    if (!this.#tree) this.start('');
    const event = { type: `turn.${turn.status}`, at: turn.endedAt };
    switch (turn.status) {
      case 'completed': this.#end('ok', 'Turn completed', 'The reply is in the conversation.', event); break;
      case 'abandoned': this.#end('bad', 'Turn abandoned', turn.reason ?? 'It could not be resumed after the Api restarted.', event); break;
      default: this.#end('bad', 'Turn failed', turn.reason, event);
    }
  }

  /** The request never reached the turn, or the connection broke: say so at the end of the trail. */
  problem(text) {
    if (!this.#tree) this.start('');
    this.#end('bad', 'Not finished', text, { type: 'problem' });
  }

  #resolved(event, tool) {
    const comment = event.reason ? `“${event.reason}”` : null;
    switch (event.decision) {
      case 'approved':
        this.#step(event, 'ok', 'approved', comment);
        return `${tool} was approved.`;
      case 'timed_out':
        this.#step(event, 'bad', 'approval timed out', 'Nobody decided in time, so the call did not run.');
        return `The approval for ${tool} timed out.`;
      default:
        this.#step(event, 'bad', 'approval denied', comment);
        return `${tool} was denied by an approver.`;
    }
  }

  #answered(event) {
    const block = (event.toolCallId && this.#agents.get(event.toolCallId))
      ?? this.#latestByAgent.get(event.agent)
      ?? this.#agentBlock('', event.agent);
    block.setState('answered', 'ok');
    // The coordinator's answer is the reply shown in the conversation; a specialist's is what it told its caller.
    if (event.text && block !== this.#agents.get('')) {
      block.element.append(h('p', { class: 'agent-answer', dataset: { event: event.type } }, event.text));
    }
  }

  #end(tone, label, detail, event) {
    this.#tree.append(h('li', { class: `turn-end ${tone}`, title: clock(event.at), dataset: { event: event.type } },
      chip(label, tone), detail ? h('span', { class: 'step-detail' }, detail) : null));
  }

  #step(event, tone, label, ...details) {
    const call = this.#call(event.toolCallId ?? event.tool ?? '?', event);
    const text = details.filter(Boolean);
    // Steps after a hand-off's specialist has worked go below it, so the trail reads in the order things happened.
    const list = call.children.childElementCount > 0 ? call.after : call.steps;
    // A call governed again after the restart says so, so its repeated steps do not read as a second request.
    if (this.#resumedCalls && !this.#resumedCalls.has(call) && call.steps.childElementCount + call.after.childElementCount > 0) {
      list.append(h('li', { class: 'step has-detail resumed-mark' }, chip('after the restart', 'info')));
    }
    this.#resumedCalls?.add(call);
    list.append(h('li', { class: `step${text.length ? ' has-detail' : ''}`, title: clock(event.at), dataset: { event: event.type, decision: event.decision ?? '', approvalId: event.approvalId ?? '' } },
      chip(label, tone),
      text.length ? h('span', { class: 'step-detail' }, ...text.map(t => (typeof t === 'string' ? h('span', {}, t) : t))) : null));
    call.element.dataset.state = label;
  }

  #call(id, event) {
    let call = this.#calls.get(id);
    if (!call) {
      const steps = h('ol', { class: 'steps' });
      const children = h('ol', { class: 'children' });
      const after = h('ol', { class: 'steps' });
      const element = h('li', { class: 'call', dataset: { callId: id, tool: event.tool ?? '' } },
        h('div', { class: 'call-head' }, h('code', { class: 'tool' }, event.tool ?? 'tool'), h('span', { class: 'call-id', title: 'Tool call id' }, id)),
        steps, children, after);
      this.#agentBlock(parentOf(id), event.agent).calls.append(element);
      call = { element, steps, children, after };
      this.#calls.set(id, call);
    } else if (event.tool && !call.element.dataset.tool) {
      // Made early for a specialist that started before its hand-off's first event arrived.
      call.element.dataset.tool = event.tool;
      call.element.querySelector('.tool').textContent = event.tool;
    }
    return call;
  }

  #agentBlock(key, name) {
    let block = this.#agents.get(key);
    if (!block) {
      const state = h('span', { class: 'chip info' }, 'working');
      const calls = h('ol', { class: 'calls' });
      const element = h('li', { class: 'agent', dataset: { agent: name ?? '' } },
        h('div', { class: 'agent-head' }, h('span', { class: 'avatar', 'aria-hidden': 'true' }, (name ?? '?').slice(0, 1).toUpperCase()), h('strong', {}, name ?? 'agent'), state),
        calls);
      (key ? this.#call(key, {}).children : this.#tree).append(element);
      block = {
        element,
        calls,
        setState(text, tone) {
          state.textContent = text;
          state.className = `chip ${tone}`;
        },
      };
      this.#agents.set(key, block);
    }
    if (name) this.#latestByAgent.set(name, block);
    return block;
  }
}
