// The conversations view: a page of conversations at a time (a user's own, an admin's everyone's: the Api decides),
// filtered by user, status and time, each linking to Chat and to its audit.
import { getJson } from './api.js';
import { rememberConversation } from './conversations.js';
import { chip, dateTime, h, showError } from './dom.js';
import { identity } from './identity.js';
import { instant } from './time-filter.js';

// The page's size is the table body's data-page-size (25 unless changed there).
const PAGE = 25;

/** The latest turn's status as the list shows it: [label, tone]. */
const STATUS = {
  running: ['running', 'info'],
  waiting: ['waiting for approval', 'warn'],
  completed: ['finished', 'ok'],
  failed: ['failed', 'bad'],
  abandoned: ['abandoned', 'bad'],
  none: ['no message yet', 'plain'],
};

export class ConversationsView {
  #form = document.getElementById('conversations-filters');
  #user = document.getElementById('conversations-user');
  #userField = document.getElementById('conversations-user-field');
  #status = document.getElementById('conversations-status');
  #from = document.getElementById('conversations-from');
  #to = document.getElementById('conversations-to');
  #rows = document.getElementById('conversations-rows');
  #empty = document.getElementById('conversations-empty');
  #more = document.getElementById('conversations-more');
  #error = document.getElementById('conversations-error');
  #openAudit;
  #nextAfterId = null;
  #query = '';

  /** openAudit(id) shows the Audit tab filtered to one conversation. */
  constructor({ openAudit }) {
    this.#openAudit = openAudit;
    this.#form.addEventListener('submit', event => {
      event.preventDefault();
      this.refresh();
    });
    this.#more.addEventListener('click', () => this.#load(this.#nextAfterId));
  }

  activate() {
    // Only an admin may list someone else's; a user's list is their own whatever they type.
    this.#userField.hidden = !identity.hasRole('admin');
    this.refresh();
  }

  refresh() {
    try {
      this.#query = this.#filters();
    } catch (error) {
      showError(this.#error, error);
      return;
    }
    this.#rows.replaceChildren();
    this.#load(null);
  }

  #filters() {
    const query = new URLSearchParams({ limit: Number(this.#rows.dataset.pageSize) || PAGE });
    const user = this.#user.value.trim();
    if (user && identity.hasRole('admin')) query.set('user', user);
    if (this.#status.value) query.set('status', this.#status.value);
    const from = instant(this.#from);
    const to = instant(this.#to);
    if (from) query.set('from', from);
    if (to) query.set('to', to);
    return query.toString();
  }

  async #load(afterId) {
    const query = this.#query;
    this.#more.disabled = true;
    try {
      const page = await getJson(`/api/conversations?${query}${afterId ? `&afterId=${encodeURIComponent(afterId)}` : ''}`);
      if (query !== this.#query) return;
      showError(this.#error, null);
      if (!afterId) this.#rows.replaceChildren();
      this.#rows.append(...(page.items ?? []).map(item => this.#row(item)));
      this.#nextAfterId = page.nextAfterId ?? null;
    } catch (error) {
      showError(this.#error, error);
    } finally {
      this.#more.hidden = !this.#nextAfterId;
      this.#more.disabled = false;
      this.#empty.hidden = this.#rows.children.length > 0;
    }
  }

  #row(c) {
    const [label, tone] = STATUS[c.turn?.status ?? 'none'] ?? [c.turn.status, 'plain'];
    const last = c.lastMessageAt ?? c.turn?.updatedAt ?? c.createdAt;
    return h('tr', { dataset: { conversationId: c.id, user: c.createdBy, status: c.turn?.status ?? 'none' } },
      h('td', {}, h('code', { class: 'conversation-id' }, c.id)),
      h('td', {}, c.createdBy),
      h('td', {}, h('time', { datetime: c.createdAt }, dateTime(c.createdAt))),
      h('td', {}, h('time', { datetime: last }, dateTime(last))),
      h('td', { class: 'number' }, String(c.messageCount ?? 0)),
      h('td', { title: c.turn?.reason ?? '' }, chip(label, tone)),
      h('td', {}, h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary small open-chat', onclick: () => openInChat(c.id) }, 'Open in Chat'),
        identity.hasRole('admin')
          ? h('button', { type: 'button', class: 'secondary small open-audit', onclick: () => this.#openAudit(c.id) }, 'Audit')
          : null)));
  }
}

/** Chat shows the tab's conversation when the page loads, re-attaching to a turn under way: make it this one and load. */
function openInChat(id) {
  rememberConversation(id);
  history.replaceState(null, '', '#chat');
  location.reload();
}
