// The audit view: the entries that match the filters (none: every entry), a page at a time by seq and followed live
// at the end, as a hand-off tree and a timeline; the chain's verification; and a download of the same selection.
// Following a busy audit stays cheap: the live tail keeps the latest FOLLOW_CAP entries, and the whole chain is
// verified when a selection starts, on "Verify now", and at most once every VERIFY_MS as new entries arrive.
import { getJson, send } from './api.js';
import { downloadAudit } from './audit-download.js';
import { auditFilters, filterToConversation } from './audit-filters.js';
import { renderTimeline } from './audit-timeline.js';
import { renderTree } from './audit-tree.js';
import { currentConversation, recentConversations } from './conversations.js';
import { fill, h, showError, shortHash } from './dom.js';

const POLL_MS = 3000;
// The page's size is the timeline's data-page-size (200 unless changed there).
const PAGE = 200;
const FOLLOW_CAP = 1000;
const VERIFY_MS = 60_000;

export class AuditView {
  #picker = document.getElementById('audit-picker');
  #known = document.getElementById('audit-conversations');
  #tree = document.getElementById('audit-tree');
  #timeline = document.getElementById('audit-timeline');
  #verify = document.getElementById('verify');
  #verifyNow = document.getElementById('verify-now');
  #error = document.getElementById('audit-error');
  #count = document.getElementById('audit-count');
  #more = document.getElementById('audit-more');
  #format = document.getElementById('audit-format');
  #download = document.getElementById('audit-download');
  #downloaded = document.getElementById('audit-downloaded');
  #query = null;        // the filters the entries on screen match
  #entries = [];
  #next = null;         // the seq after which the next page starts, while more pages wait for "More"
  #generation = 0;      // a new selection makes answers for the old one stale
  #busy = false;
  #offered = null;      // the chat conversation last put in the filter, so it is offered once, not forced each visit
  #timer = null;
  #verifiedAt = 0;      // Date.now() of the last verification asked for
  #dropped = false;     // the live tail has let older entries of the selection go

  constructor() {
    this.#picker.addEventListener('submit', event => {
      event.preventDefault();
      this.#select();
    });
    // The form's reset clears the fields first; the selection is everything after it.
    this.#picker.addEventListener('reset', () => setTimeout(() => this.#select()));
    this.#more.addEventListener('click', () => this.#page(this.#next));
    this.#download.addEventListener('click', () => this.#save());
    this.#verifyNow.addEventListener('click', () => this.#verifyChain());
  }

  activate() {
    // A link (#audit?conversation=conv_...) opens that conversation.
    const linked = new URLSearchParams(location.hash.split('?')[1] ?? '').get('conversation');
    if (linked) this.showConversation(linked);
    const current = currentConversation();
    if (current && current !== this.#offered) {
      this.#offered = current;
      filterToConversation(current);
    }
    this.#known.replaceChildren(...recentConversations().map(id => h('option', { value: id })));
    this.#select();
    this.#timer ??= setInterval(() => this.#poll(), POLL_MS);
  }

  deactivate() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Shows one conversation's audit (from the conversations view); the caller then opens the tab. */
  showConversation(id) {
    this.#offered = currentConversation();
    filterToConversation(id);
  }

  /** Starts over with the filters in the form. */
  #select() {
    try {
      this.#query = auditFilters();
    } catch (error) {
      showError(this.#error, error);
      return;
    }
    this.#generation++;
    this.#downloaded.textContent = '';
    this.#entries = [];
    this.#dropped = false;
    this.#next = null;
    this.#busy = false;
    this.#verifiedAt = 0;
    this.#page(0);
  }

  /** New entries at the end of the selection, once every page before them is on screen. */
  #poll() {
    if (this.#next === null && !this.#busy && this.#query) this.#page(this.#entries.at(-1)?.seq ?? 0, { follow: true });
  }

  async #page(afterSeq, { follow = false } = {}) {
    const generation = this.#generation;
    const query = new URLSearchParams(this.#query);
    query.set('afterSeq', afterSeq);
    query.set('limit', Number(this.#timeline.dataset.pageSize) || PAGE);
    this.#busy = true;
    this.#more.disabled = true;
    try {
      const response = await send('GET', `/api/audit?${query}`);
      const entries = await response.json();
      if (generation !== this.#generation) return;
      showError(this.#error, null);
      const next = response.headers.get('X-Next-After-Seq');
      this.#next = next === null ? null : Number(next);
      const first = afterSeq === 0 && this.#entries.length === 0;
      if (entries.length > 0 || first) {
        this.#entries.push(...entries);
        if (follow && this.#entries.length > FOLLOW_CAP) {
          this.#entries.splice(0, this.#entries.length - FOLLOW_CAP);
          this.#dropped = true;
        }
        this.#render();
        if (Date.now() - this.#verifiedAt >= VERIFY_MS) await this.#verifyChain();
      }
    } catch (error) {
      if (generation === this.#generation) showError(this.#error, error);
    } finally {
      if (generation === this.#generation) {
        this.#busy = false;
        this.#more.disabled = false;
        this.#more.hidden = this.#next === null;
      }
    }
  }

  #render() {
    renderTree(this.#tree, this.#entries);
    renderTimeline(this.#timeline, this.#entries, { showConversation: !this.#query.has('conversationId') });
    const n = this.#entries.length;
    this.#count.textContent = this.#dropped
      ? `the latest ${n} entries; older ones are no longer shown: narrow the filters or the time range to see them`
      : `${n} entr${n === 1 ? 'y' : 'ies'}${this.#next === null ? '' : '; more match'}`;
  }

  async #save() {
    this.#download.disabled = true;
    try {
      // What is on screen, not fields edited since: the file matches the entries shown.
      const saved = await downloadAudit(this.#query ?? auditFilters(), this.#format.value);
      showError(this.#error, null);
      this.#downloaded.textContent = `Saved ${saved.file}${saved.entries === null ? '' : `: ${saved.entries} entries`}.`;
    } catch (error) {
      showError(this.#error, error);
    } finally {
      this.#download.disabled = false;
    }
  }

  async #verifyChain() {
    this.#verifiedAt = Date.now();
    this.#verifyNow.disabled = true;
    try {
      const result = await getJson('/api/audit/verify');
      this.#verify.className = `verify ${result.ok ? 'ok' : 'bad'}`;
      fill(this.#verify, result.ok
        ? [h('strong', {}, '✓ Chain verified'), ` · ${result.count} entries`, result.headHash ? [' · head ', h('code', { title: result.headHash }, shortHash(result.headHash))] : null]
        : [h('strong', {}, '✗ Chain broken'), result.firstBadSeq != null ? ` at entry #${result.firstBadSeq}` : '', result.problem ? `: ${result.problem}` : '']);
    } catch (error) {
      this.#verify.className = 'verify bad';
      this.#verify.textContent = `Could not verify the chain: ${error.message}`;
    } finally {
      this.#verifyNow.disabled = false;
    }
  }
}
