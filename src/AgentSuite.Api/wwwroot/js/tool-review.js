// Reviewing a tool whose definition changed: the approved and the served definition as a line diff, and re-approval.
import { getJson, sendJson } from './api.js';
import { chip, fill, h, prettyJson, shortHash, showError } from './dom.js';
import { lineDiff } from './line-diff.js';

export class ToolReview {
  #panel = document.getElementById('tool-review');
  #onApproved;

  constructor({ onApproved }) {
    this.#onApproved = onApproved;
  }

  /** Opens the review of server/name: loads both definitions and shows what changed. */
  async open(tool) {
    const [server, ...rest] = tool.split('/');
    const path = `/api/governance/tools/${encodeURIComponent(server)}/${encodeURIComponent(rest.join('/'))}/definition`;
    this.#panel.hidden = false;
    fill(this.#panel, h('p', { class: 'muted' }, `Loading the definitions of ${tool}…`));
    try {
      this.#render(await getJson(path));
    } catch (error) {
      const message = h('p', { class: 'error', role: 'alert' });
      showError(message, error);
      fill(this.#panel, message, this.#closeButton());
    }
  }

  close() {
    this.#panel.hidden = true;
    fill(this.#panel);
  }

  #render(definition) {
    const lines = lineDiff(definition.pinned ? prettyJson(definition.pinned) : '', prettyJson(definition.observed));
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const approve = h('button', { type: 'button', class: 'primary small', onclick: () => this.#approve(definition, approve, error) }, 'Re-approve');
    fill(this.#panel,
      h('div', { class: 'review-head' },
        h('div', {},
          h('h3', {}, 'Review change: ', h('code', { class: 'tool' }, definition.tool)),
          h('p', { class: 'muted' },
            definition.pinned
              ? `Approved sha256:${shortHash(definition.pinnedHash)} (red) against the one served now, sha256:${shortHash(definition.observedHash)} (green).`
              : `No definition was approved yet: all of sha256:${shortHash(definition.observedHash)} is new.`)),
        definition.blocked ? chip('blocked', 'bad') : chip('approved', 'ok')),
      h('pre', { class: 'diff', dataset: { tool: definition.tool } },
        lines.map(line => h('span', { class: `diff-line ${DIFF_CLASS[line.change]}` }, `${line.change} ${line.text}`))),
      error,
      h('div', { class: 'review-actions' }, definition.blocked ? approve : null, this.#closeButton()));
  }

  async #approve(definition, button, error) {
    button.disabled = true;
    try {
      // The definition reviewed, by its hash: if it changed again meanwhile, the Api refuses (409) and nothing is approved.
      await sendJson('POST', '/api/governance/tools/approve', { tool: definition.tool, definitionHash: definition.observedHash });
      this.close();
      this.#onApproved?.(definition.tool);
    } catch (failure) {
      showError(error, failure);
      button.disabled = false;
    }
  }

  #closeButton() {
    return h('button', { type: 'button', class: 'secondary small', onclick: () => this.close() }, 'Close');
  }
}

const DIFF_CLASS = { ' ': 'same', '-': 'removed', '+': 'added' };
