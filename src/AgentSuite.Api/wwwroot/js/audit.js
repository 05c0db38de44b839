// The audit view: one conversation's entries as a hand-off tree and a timeline, and the chain's verification.
import { getJson } from './api.js';
import { renderTimeline } from './audit-timeline.js';
import { renderTree } from './audit-tree.js';
import { currentConversation, recentConversations } from './conversations.js';
import { fill, h, showError, shortHash } from './dom.js';

const POLL_MS = 3000;

export class AuditView {
  #picker = document.getElementById('audit-picker');
  #input = document.getElementById('audit-conversation');
  #known = document.getElementById('audit-conversations');
  #tree = document.getElementById('audit-tree');
  #timeline = document.getElementById('audit-timeline');
  #verify = document.getElementById('verify');
  #error = document.getElementById('audit-error');
  #shown = null;   // what is on screen, so a poll that finds nothing new leaves it (and open details) alone
  #timer = null;

  constructor() {
    this.#picker.addEventListener('submit', event => {
      event.preventDefault();
      this.#shown = null;
      this.refresh();
    });
  }

  activate() {
    // A link (#audit?conversation=conv_..., as approval cards and notifications give) wins over this tab's own conversation.
    const linked = new URLSearchParams(location.hash.split('?')[1] ?? '').get('conversation');
    const current = linked || currentConversation();
    if (current && this.#input.value !== current) {
      this.#input.value = current;
      this.#shown = null;
    }
    this.#known.replaceChildren(...recentConversations().map(id => h('option', { value: id })));
    this.refresh();
    this.#timer ??= setInterval(() => this.refresh(), POLL_MS);
  }

  deactivate() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  async refresh() {
    const conversationId = this.#input.value.trim();
    if (!conversationId) {
      this.#tree.replaceChildren(h('p', { class: 'empty' }, 'Chat first, or paste a conversation id above.'));
      this.#timeline.replaceChildren();
      await this.#verifyChain();
      return;
    }
    try {
      const entries = await getJson(`/api/audit?conversationId=${encodeURIComponent(conversationId)}`);
      const shown = `${conversationId}|${entries.length}|${entries.at(-1)?.seq ?? ''}`;
      showError(this.#error, null);
      if (shown === this.#shown) return;
      entries.sort((a, b) => a.seq - b.seq);
      renderTree(this.#tree, entries);
      renderTimeline(this.#timeline, entries);
      this.#shown = shown;
      await this.#verifyChain();
    } catch (error) {
      showError(this.#error, error);
    }
  }

  async #verifyChain() {
    try {
      const result = await getJson('/api/audit/verify');
      this.#verify.className = `verify ${result.ok ? 'ok' : 'bad'}`;
      fill(this.#verify, result.ok
        ? [h('strong', {}, '✓ Chain verified'), ` · ${result.count} entries`, result.headHash ? [' · head ', h('code', { title: result.headHash }, shortHash(result.headHash))] : null]
        : [h('strong', {}, '✗ Chain broken'), result.firstBadSeq != null ? ` at entry #${result.firstBadSeq}` : '', result.problem ? `: ${result.problem}` : '']);
    } catch (error) {
      this.#verify.className = 'verify bad';
      this.#verify.textContent = `Could not verify the chain: ${error.message}`;
    }
  }
}
