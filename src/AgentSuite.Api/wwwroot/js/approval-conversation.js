// One conversation's messages, read-only, in the approvals tab (#approvals?conversation=conv_...): an approver reads the
// context of a request there without being the conversation's owner or an admin.
import { getJson } from './api.js';
import { clock, dateTime, fill, h, showError } from './dom.js';

export class ApprovalConversation {
  #panel = document.getElementById('approval-conversation');
  #title = document.getElementById('approval-conversation-title');
  #meta = document.getElementById('approval-conversation-meta');
  #messages = document.getElementById('approval-conversation-messages');
  #error = document.getElementById('approval-conversation-error');
  #shown = null;

  /** Shows the conversation the address names, or hides the panel when it names none. */
  async show(id) {
    this.#panel.hidden = !id;
    if (!id || id === this.#shown) return;
    this.#shown = id;
    this.#panel.dataset.conversationId = id;
    fill(this.#title, 'Conversation ', h('code', {}, id));
    fill(this.#meta);
    fill(this.#messages);
    showError(this.#error, null);
    try {
      const conversation = await getJson(`/api/conversations/${encodeURIComponent(id)}`);
      if (this.#shown !== id) return;
      fill(this.#meta, 'Started by ', h('strong', {}, conversation.createdBy), ' at ', dateTime(conversation.createdAt),
        conversation.turn ? ['; its latest turn is ', h('strong', {}, conversation.turn.status)] : null, '. Read-only.');
      fill(this.#messages, ...conversation.messages.map(message));
    } catch (error) {
      this.#shown = null;
      showError(this.#error, error);
    }
  }
}

function message(m) {
  return h('li', { class: `message ${m.role === 'user' ? 'user' : 'assistant'}` },
    h('div', { class: 'message-head' }, h('strong', {}, m.role === 'user' ? 'customer' : (m.agent ?? m.role)),
      m.at ? h('time', { datetime: m.at, title: dateTime(m.at) }, clock(m.at)) : null),
    h('p', { class: 'message-text' }, m.text));
}
