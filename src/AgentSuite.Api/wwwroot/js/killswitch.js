// The kill switch: stop everything, or one agent, tool server, tool or caller (principal), until an admin releases it.
import { getJson, sendJson } from './api.js';
import { chip, fill, h, showError } from './dom.js';

const PLACEHOLDERS = { agent: 'billing', server: 'billing', tool: 'billing/issue_refund', principal: 'acme-refund-bot' };

export class KillSwitchView {
  #global = document.getElementById('global-switch');
  #list = document.getElementById('switches');
  #error = document.getElementById('kill-error');
  #form = document.getElementById('engage-form');
  #kind = document.getElementById('kill-kind');
  #name = document.getElementById('kill-name');
  #suggestions = document.getElementById('kill-suggestions');
  #reason = document.getElementById('kill-reason');
  #known = null;

  constructor() {
    this.#kind.addEventListener('change', () => this.#suggest());
    this.#form.addEventListener('submit', event => {
      event.preventDefault();
      const name = this.#name.value.trim();
      if (!name) return;
      this.#set(`${this.#kind.value}:${name}`, true).then(ok => {
        if (ok) this.#name.value = '';
      });
    });
  }

  async activate() {
    await this.refresh();
    if (!this.#known) await this.#loadSuggestions();
  }

  async refresh() {
    try {
      this.#render(await getJson('/api/governance/kill-switch'));
      showError(this.#error, null);
    } catch (error) {
      showError(this.#error, error);
    }
  }

  async #set(scope, engaged) {
    const reason = this.#reason.value.trim();
    try {
      this.#render(await sendJson('PUT', '/api/governance/kill-switch', reason ? { scope, engaged, reason } : { scope, engaged }));
      showError(this.#error, null);
      this.#reason.value = '';
      return true;
    } catch (error) {
      showError(this.#error, error);
      return false;
    }
  }

  #render(state) {
    const engaged = state?.engaged ?? [];
    const global = engaged.find(s => s.scope === 'global');
    this.#global.classList.toggle('engaged', Boolean(global));
    fill(this.#global,
      h('div', {},
        h('h2', {}, global ? 'Everything is stopped' : 'Tools run under their rules'),
        h('p', { class: 'muted' }, global
          ? ['The global kill switch is engaged: no agent\u2019s tool call runs.', source(global)]
          : 'Engage the global switch to stop every tool call of every agent at once.')),
      global
        ? releaseButton(global, 'Release the global switch', () => this.#set('global', false))
        : h('button', { type: 'button', class: 'danger', onclick: () => this.#stopEverything() }, 'Stop all tool calls'));

    const scoped = engaged.filter(s => s.scope !== 'global');
    fill(this.#list, scoped.length === 0
      ? h('li', { class: 'empty' }, 'No agent, server, tool or caller is stopped.')
      : scoped.map(s => {
        const [kind, ...rest] = s.scope.split(':');
        return h('li', { class: 'switch', dataset: { scope: s.scope } },
          chip(kind, 'bad'), h('code', {}, rest.join(':')), source(s),
          releaseButton(s, 'Release', () => this.#set(s.scope, false), 'small'));
      }));
  }

  /** Everything stops every conversation at once: one click is not enough. */
  #stopEverything() {
    if (window.confirm('Stop every tool call of every agent, in every conversation, until an admin releases it?')) {
      this.#set('global', true);
    }
  }

  async #loadSuggestions() {
    try {
      const answer = await getJson('/api/governance/tools');
      const items = Array.isArray(answer) ? answer : (answer?.tools ?? []);
      const tools = new Set();
      const servers = new Set();
      for (const item of items) {
        const server = item?.server;
        const name = typeof item === 'string' ? item : (item?.tool ?? item?.name);
        if (!name) continue;
        const full = name.includes('/') || !server ? name : `${server}/${name}`;
        tools.add(full);
        if (full.includes('/')) servers.add(full.split('/')[0]);
      }
      const agents = [...tools].filter(t => t.startsWith('agents/ask_')).map(t => t.slice('agents/ask_'.length));
      this.#known = { tool: [...tools].sort(), server: [...servers].sort(), agent: agents.sort() };
    } catch (error) {
      // Suggestions only help typing; the form works without them.
      console.warn('No tool suggestions for the kill switch:', error.message);
      this.#known = { tool: [], server: [], agent: [] };
    }
    this.#suggest();
  }

  #suggest() {
    const kind = this.#kind.value;
    this.#name.placeholder = PLACEHOLDERS[kind] ?? '';
    fill(this.#suggestions, (this.#known?.[kind] ?? []).map(value => h('option', { value })));
  }
}

/** Where a switch was engaged: at run time (from here, the CLI or the Api) or in configuration. */
function source(s) {
  if (s.source === 'configuration') return h('span', { class: 'muted source' }, ' Engaged in configuration (Governance:KillSwitch:Engaged).');
  if (!s.source) return null;
  const who = s.changedBy ? ` by ${s.changedBy}` : '';
  const when = s.changedAt ? ` at ${new Date(s.changedAt).toLocaleString()}` : '';
  const why = s.reason ? `: ${s.reason}` : '';
  return h('span', { class: 'muted source' }, ` Engaged ${s.source === 'runtime' ? 'at run time' : s.source}${who}${when}${why}.`);
}

/** A switch engaged in configuration is released only by changing the configuration, so it offers no button. */
function releaseButton(s, label, release, size = '') {
  return s.source === 'configuration'
    ? h('span', { class: 'muted fixed' }, 'Remove it from the configuration to release it.')
    : h('button', { type: 'button', class: `secondary ${size}`.trim(), onclick: release }, label);
}
