// The approvals inbox: pending tool calls, polled every two seconds, approved or denied with a comment.
// Cards are kept across polls, so a comment being typed survives the refresh.
import { getJson, sendJson } from './api.js';
import { ApprovalConversation } from './approval-conversation.js';
import { chip, clock, dateTime, fill, h, prettyJson, showError } from './dom.js';
import { identity } from './identity.js';

const POLL_MS = 2000;

export class ApprovalsView {
  #list = document.getElementById('approvals-list');
  #empty = document.getElementById('approvals-empty');
  #error = document.getElementById('approvals-error');
  #count = document.getElementById('approvals-count');
  #decided = document.getElementById('decided');
  #decidedList = document.getElementById('decided-list');
  #cards = new Map();
  #decidedHere = new Set();   // decided from this page: a poll already in flight must not bring them back
  #loading = false;
  #conversation = new ApprovalConversation();

  /** Opened, perhaps by a link (#approvals?conversation=conv_..., as cards and notifications give) to one conversation. */
  activate() {
    this.#conversation.show(new URLSearchParams(location.hash.split('?')[1] ?? '').get('conversation'));
    this.refresh();
  }

  start() {
    this.refresh();
    setInterval(() => this.refresh(), POLL_MS);
    document.addEventListener('visibilitychange', () => this.refresh());
  }

  /** The caller changed: their own requests are now someone else's, or the other way round. */
  identityChanged() {
    for (const card of this.#cards.values()) this.#markOwn(card);
    this.refresh();
  }

  async refresh() {
    if (!identity.hasRole('approver')) {
      this.#count.hidden = true;
      return;
    }
    if (document.hidden || this.#loading) return;
    this.#loading = true;
    try {
      const pending = await getJson('/api/approvals?status=pending');
      this.#render(pending.filter(a => !this.#decidedHere.has(a.id)));
      showError(this.#error, null);
    } catch (error) {
      showError(this.#error, error);
    } finally {
      this.#loading = false;
    }
  }

  #render(pending) {
    const ids = new Set(pending.map(a => a.id));
    for (const [id, card] of this.#cards) {
      if (!ids.has(id)) this.#drop(id, card);
    }
    const oldestFirst = [...pending].sort((a, b) => String(a.requestedAt).localeCompare(String(b.requestedAt)));
    for (const approval of oldestFirst) {
      const shown = this.#cards.get(approval.id);
      if (shown) {
        // The key may complete while the request waits: each poll brings the latest word on a replay.
        showReplay(shown.replay, approval.replay);
        continue;
      }
      const card = this.#card(approval);
      this.#cards.set(approval.id, card);
      this.#list.append(card.element);
    }
    this.#counted();
  }

  #card(approval) {
    const comment = h('textarea', { class: 'comment', rows: 2, placeholder: 'Comment (the requester, the agent and the audit see it)', 'aria-label': 'Comment' });
    const approve = h('button', { type: 'button', class: 'primary approve' }, 'Approve');
    const deny = h('button', { type: 'button', class: 'danger-ghost deny' }, 'Deny');
    const own = h('p', { class: 'own-note', hidden: true },
      'You asked for this call. Someone else must decide it: nobody approves their own request.');
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const replay = h('p', { class: 'replay-note', role: 'note', hidden: true });
    showReplay(replay, approval.replay);
    const path = approval.agentPath?.length ? approval.agentPath : [approval.agent ?? 'agent'];
    const conversation = approval.conversationId
      ? h('a', { class: 'conversation-link', href: `#approvals?conversation=${encodeURIComponent(approval.conversationId)}`, title: 'Read the conversation' }, h('code', {}, approval.conversationId))
      : h('code', {}, '—');
    const element = h('li', { class: 'card approval', dataset: { approvalId: approval.id, tool: approval.tool ?? '' } },
      h('div', { class: 'approval-head' },
        h('div', { class: 'agent-path', 'aria-label': 'Agent path' },
          path.flatMap((agent, i) => [i ? h('span', { class: 'muted' }, ' → ') : null, chip(agent, 'info')]), ' ', h('code', { class: 'tool' }, approval.tool)),
        h('span', { class: 'muted' }, 'requested by ', h('strong', {}, approval.requestedBy ?? 'someone'), ' at ',
          h('time', { datetime: approval.requestedAt, title: dateTime(approval.requestedAt) }, clock(approval.requestedAt)))),
      approval.request ? h('blockquote', { class: 'customer-request', 'aria-label': 'The customer asked' }, approval.request) : null,
      approval.reason ? h('p', { class: 'approval-reason' }, approval.reason) : null,
      replay,
      h('pre', { class: 'arguments', 'aria-label': 'Arguments' }, prettyJson(approval.arguments ?? {})),
      h('dl', { class: 'facts' },
        fact('Conversation', conversation),
        fact('Call', h('code', {}, approval.toolCallId ?? '—')),
        approval.expiresAt ? fact('Expires', h('time', { datetime: approval.expiresAt, title: dateTime(approval.expiresAt) }, clock(approval.expiresAt))) : null),
      own,
      h('div', { class: 'decide' }, comment, h('div', { class: 'buttons' }, deny, approve)),
      error);
    const card = { approval, element, comment, approve, deny, own, error, replay };
    approve.addEventListener('click', () => this.#decide(card, true));
    deny.addEventListener('click', () => this.#decide(card, false));
    this.#markOwn(card);
    return card;
  }

  #markOwn(card) {
    const mine = Boolean(identity.me) && card.approval.requestedBy === identity.me.name;
    card.own.hidden = !mine;
    card.approve.disabled = mine;
    card.deny.disabled = mine;
    card.element.classList.toggle('mine', mine);
  }

  async #decide(card, approve) {
    card.approve.disabled = card.deny.disabled = true;
    showError(card.error, null);
    try {
      const decided = await sendJson('POST', `/api/approvals/${encodeURIComponent(card.approval.id)}/decision`, { approve, comment: card.comment.value.trim() });
      this.#decidedHere.add(card.approval.id);
      this.#drop(card.approval.id, card);
      this.#log({ ...card.approval, ...decided });
    } catch (error) {
      showError(card.error, error);
      if (error.status === 409) {
        // Someone else decided first: the next poll drops the card; the message says why it went.
        card.element.classList.add('stale');
      } else {
        this.#markOwn(card);
      }
    }
    this.#counted();
  }

  #drop(id, card) {
    card.element.remove();
    this.#cards.delete(id);
  }

  #counted() {
    const count = this.#cards.size;
    this.#empty.hidden = count > 0;
    this.#count.textContent = String(count);
    this.#count.hidden = count === 0;
  }

  #log(approval) {
    const approved = approval.status === 'approved';
    this.#decidedList.prepend(h('li', { class: 'decided-item', dataset: { approvalId: approval.id, status: approval.status ?? '' } },
      chip(approval.status ?? (approved ? 'approved' : 'denied'), approved ? 'ok' : 'bad'), ' ',
      h('code', { class: 'tool' }, approval.tool), ' for ', h('strong', {}, approval.requestedBy ?? 'someone'),
      approval.decidedBy ? [' by ', h('strong', {}, approval.decidedBy)] : null,
      approval.decidedAt ? [' at ', clock(approval.decidedAt)] : null,
      approval.comment ? h('q', { class: 'muted' }, approval.comment) : null));
    this.#decided.hidden = false;
  }
}

/** Approving a call whose idempotency key already completed does not run it again: the approver must know before deciding. */
function showReplay(note, replay) {
  note.hidden = !replay;
  if (!replay) return;
  const verb = replay.sameArguments ? 'Will be replayed, not executed' : 'Will be refused, not executed';
  fill(note, h('strong', {}, verb), ': already completed',
    replay.completedAt ? [' at ', h('time', { datetime: replay.completedAt, title: dateTime(replay.completedAt) }, dateTime(replay.completedAt))] : '',
    replay.sameArguments ? '. Approving returns the stored result; the tool does not run again.' : ' with different arguments.');
}

function fact(term, value) {
  return h('div', {}, h('dt', {}, term), h('dd', {}, value));
}
