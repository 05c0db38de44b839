// The Status tab: tool servers live or down, tool pins (a changed one reviewed and re-approved here), the model, the
// policy version, the engaged kill switches, today's token budgets per principal and the Api instances sharing the
// store with each one's policy version, refreshed every few seconds while the tab is open; the operations
// figures, costly to compute on a busy audit, every METRICS_MS (the Api shares them for 15 s anyway).
import { getJson } from './api.js';
import { chip, clock, dateTime, fill, h, shortHash, showError } from './dom.js';
import { identity } from './identity.js';
import { refreshMetrics } from './status-metrics.js';
import { ToolReview } from './tool-review.js';

const REFRESH_MS = 3000;
const METRICS_MS = 30_000;

export class StatusView {
  #error = document.getElementById('status-error');
  #facts = document.getElementById('status-facts');
  #servers = document.getElementById('status-servers');
  #tools = document.getElementById('status-tools');
  #switches = document.getElementById('status-switches');
  #budgets = document.getElementById('status-budgets');
  #instances = document.getElementById('status-instances');
  #metrics = document.getElementById('status-metrics');
  #review = new ToolReview({ onApproved: () => this.refresh() });
  #timer = null;
  #loading = false;
  #metricsAt = 0;       // Date.now() when the figures were last asked for

  activate() {
    this.#metricsAt = 0;
    this.refresh();
    clearInterval(this.#timer);
    this.#timer = setInterval(() => this.refresh(), REFRESH_MS);
  }

  deactivate() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  async refresh() {
    if (!identity.hasRole('admin')) {
      this.deactivate();
      return;
    }
    if (document.hidden || this.#loading) return;
    this.#loading = true;
    try {
      try {
        this.#render(await getJson('/api/status'));
        showError(this.#error, null);
      } catch (error) {
        showError(this.#error, error);
      }
      if (Date.now() - this.#metricsAt >= METRICS_MS) {
        this.#metricsAt = Date.now();
        await refreshMetrics(this.#metrics);
      }
    } finally {
      this.#loading = false;
    }
  }

  #render(status) {
    const { instance, model, policy } = status;
    fill(this.#facts,
      fact('Model', model ? [h('strong', {}, model.name), ` (${model.provider})`, model.endpoint ? [' at ', h('code', {}, model.endpoint)] : null] : 'unknown'),
      fact('Policy version', policy
        ? [h('code', { id: 'policy-version' }, policy.version), h('span', { class: 'muted' }, ` in force since ${dateTime(policy.loadedAt)}`),
          policy.error ? h('span', { class: 'policy-error' }, policy.error) : null]
        : 'unknown'),
      fact('Api instance', instance ? [h('code', {}, instance.name), h('span', { class: 'muted' }, ` started ${dateTime(instance.startedAt)}`)] : 'unknown'));

    const servers = status.servers ?? [];
    fill(this.#servers, servers.length === 0
      ? h('li', { class: 'empty' }, 'No MCP server is configured.')
      : servers.map(server));

    const tools = [...(status.tools ?? [])].sort((a, b) => Number(b.blocked) - Number(a.blocked) || a.tool.localeCompare(b.tool));
    fill(this.#tools, tools.length === 0
      ? h('li', { class: 'empty' }, 'No tool has been seen yet.')
      : tools.map(t => this.#tool(t)));

    const engaged = status.killSwitches ?? [];
    fill(this.#switches, engaged.length === 0
      ? h('li', { class: 'empty' }, 'No kill switch is engaged.')
      : engaged.map(s => h('li', { class: 'status-switch', dataset: { scope: s.scope } },
        chip(s.scope, 'bad'),
        h('span', { class: 'muted' }, s.source === 'configuration'
          ? ' engaged in configuration'
          : ` engaged${s.engagedBy ? ` by ${s.engagedBy}` : ''}${s.engagedAt ? ` at ${dateTime(s.engagedAt)}` : ''}`),
        s.reason ? h('span', {}, `: ${s.reason}`) : null)));

    const budgets = status.budgets ?? [];
    fill(this.#budgets, budgets.length === 0
      ? h('tr', { class: 'empty' }, h('td', { colspan: 4 }, 'No caller has spent model tokens today.'))
      : budgets.map(budget));

    // An older Api sends no instances: this one alone, as the facts above name it.
    const instances = status.instances ?? (instance ? [{ ...instance, this: true }] : []);
    const own = instances.find(i => i.this)?.policyVersion ?? policy?.version;
    fill(this.#instances, instances.length === 0
      ? h('tr', { class: 'empty' }, h('td', { colspan: 5 }, 'No instance has reported in.'))
      : instances.map(i => apiInstance(i, own)));
  }

  #tool(t) {
    return h('li', { class: `status-tool${t.blocked ? ' blocked' : ''}`, dataset: { tool: t.tool } },
      h('div', { class: 'status-tool-head' },
        h('code', { class: 'tool' }, t.tool),
        t.blocked ? chip(t.pinnedHash ? 'blocked: changed' : 'blocked: not approved', 'bad') : chip('pinned', 'ok')),
      h('p', { class: 'muted' }, t.blocked
        ? `Serves sha256:${shortHash(t.observedHash)}${t.pinnedHash ? `; approved was sha256:${shortHash(t.pinnedHash)}` : ''}.`
        : `sha256:${shortHash(t.pinnedHash)}, approved by ${t.approvedBy ?? 'nobody'}${t.approvedAt ? ` at ${dateTime(t.approvedAt)}` : ''}.`),
      t.blocked ? h('button', { type: 'button', class: 'secondary small', onclick: () => this.#review.open(t.tool) }, 'Review change') : null);
  }
}

function fact(term, ...value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function budget(b) {
  const count = n => Number(n).toLocaleString();
  return h('tr', { class: `status-budget${b.exceeded ? ' exceeded' : ''}`, dataset: { principal: b.principal } },
    h('td', {}, b.principal),
    h('td', {}, count(b.spent)),
    h('td', {}, b.limit == null ? 'unlimited' : count(b.limit)),
    h('td', {}, b.exceeded ? chip('spent', 'bad') : b.remaining == null ? '' : count(b.remaining)));
}

function apiInstance(i, ownPolicy) {
  const differs = i.policyVersion && ownPolicy && i.policyVersion !== ownPolicy;
  return h('tr', { class: `status-instance${i.gone ? ' gone' : ''}`, dataset: { instance: i.name } },
    h('td', {}, h('code', {}, i.name), i.this ? [' ', chip('this one', 'plain')] : null),
    h('td', {}, dateTime(i.startedAt)),
    h('td', { title: i.lastSeen ? dateTime(i.lastSeen) : '' }, i.lastSeen ? clock(i.lastSeen) : ''),
    h('td', {}, i.policyVersion
      ? h('code', { class: differs ? 'policy-differs' : '', title: differs ? 'Not the policy version of this instance' : '' }, i.policyVersion)
      : ''),
    h('td', {}, i.gone ? chip('gone', 'bad') : chip('live', 'ok')));
}

function server(s) {
  // state: unknown until the monitor's first check (an older Api sends only live).
  const state = s.state ?? (s.live == null ? 'unknown' : s.live ? 'live' : 'down');
  return h('li', { class: 'status-server', dataset: { server: s.name, state } },
    h('div', { class: 'status-server-head' },
      h('strong', {}, s.name),
      h('span', { class: 'muted' }, s.transport),
      chip(state, { live: 'ok', down: 'bad' }[state] ?? 'plain'),
      s.checkedAt ? h('span', { class: 'muted checked', title: dateTime(s.checkedAt) }, `checked ${clock(s.checkedAt)}`) : h('span', { class: 'muted' }, 'not checked yet')),
    (s.tools ?? []).length
      ? h('p', { class: 'status-server-tools' }, s.tools.map(t => h('code', {}, t.slice(t.indexOf('/') + 1))))
      : null,
    s.lastError
      ? h('p', { class: 'last-error' }, h('span', { class: 'muted', title: dateTime(s.lastErrorAt) }, `Last error ${clock(s.lastErrorAt)}: `), s.lastError)
      : null);
}
