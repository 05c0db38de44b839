// Chat with the coordinator: one conversation per tab, one turn at a time, the reply and the turn's trail streamed.
import { ApiError, getJson, send, sendJson } from './api.js';
import { currentConversation, rememberConversation } from './conversations.js';
import { clock, dateTime, h } from './dom.js';
import { identity } from './identity.js';
import { readServerSentEvents } from './sse.js';
import { Trail } from './trail.js';

export class ChatView {
  #conversationId = currentConversation();
  #running = false;
  #messages = document.getElementById('messages');
  #meta = document.getElementById('conversation-meta');
  #suggestions = document.getElementById('suggestions');
  #composer = document.getElementById('composer');
  #input = document.getElementById('message');
  #sendButton = document.getElementById('send');
  #newButton = document.getElementById('new-conversation');
  #status = document.getElementById('turn-status');
  #trail = new Trail(document.getElementById('trail'));
  #onTurnEnded;

  constructor({ onTurnEnded } = {}) {
    this.#onTurnEnded = onTurnEnded;
    this.#composer.addEventListener('submit', event => {
      event.preventDefault();
      this.#send();
    });
    this.#input.addEventListener('keydown', event => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        this.#send();
      }
    });
    this.#newButton.addEventListener('click', () => this.#startOver());
    for (const button of this.#suggestions.querySelectorAll('.suggestion')) {
      button.addEventListener('click', () => {
        this.#input.value = button.textContent;
        this.#input.focus();
      });
    }
  }

  get conversationId() { return this.#conversationId; }

  /** Shows the conversation this tab was in, if the Api still has it. */
  async load() {
    this.#messages.replaceChildren();
    if (!this.#conversationId) {
      this.#describe(null);
      return;
    }
    try {
      const conversation = await getJson(`/api/conversations/${encodeURIComponent(this.#conversationId)}`);
      this.#describe(conversation);
      for (const message of conversation.messages ?? []) {
        const who = message.role === 'user' ? (conversation.createdBy ?? 'you') : (message.agent ?? 'assistant');
        this.#messages.append(bubble(message.role === 'user' ? 'user' : 'assistant', who, message.text, message.at));
      }
      this.#scroll();
    } catch (error) {
      if (error.status === 404) {
        this.#forget();
      } else {
        this.#messages.append(bubble('error', 'page', `Could not load the conversation: ${error.message}`));
      }
    }
    this.#suggestions.hidden = this.#messages.children.length > 0;
  }

  async #send() {
    const text = this.#input.value.trim();
    if (this.#running || !text) return;
    this.#setRunning(true);
    this.#input.value = '';
    this.#suggestions.hidden = true;
    const sent = bubble('user', identity.me?.name ?? identity.name, text, new Date().toISOString());
    this.#messages.append(sent);
    const reply = new Reply(this.#messages);
    this.#scroll();
    this.#trail.start(text);
    let ended = false;
    let response = null;
    try {
      const id = await this.#ensureConversation();
      response = await send('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, { body: { text }, accept: 'text/event-stream' });
      const events = (response.headers.get('Content-Type') ?? '').includes('text/event-stream') ? streamed(response) : answered(response);
      for await (const event of events) {
        ended = this.#apply(event, reply) || ended;
      }
      if (!ended) this.#interrupted(reply);
    } catch (error) {
      if (response) {
        this.#interrupted(reply);
      } else {
        // The message started no turn (busy, too long, no such conversation): give it back so nothing is lost.
        sent.classList.add('not-sent');
        reply.fail(error instanceof ApiError ? error.message : `The message was not sent: ${error.message}`);
        this.#trail.problem(error.message);
        if (!this.#input.value) this.#input.value = text;
        if (error.status === 404) this.#forget();
      }
    } finally {
      this.#setRunning(false);
      this.#scroll();
      this.#onTurnEnded?.(this.#conversationId);
    }
  }

  #interrupted(reply) {
    const note = 'The connection closed before the turn finished. The turn goes on in the Api; its outcome lands in the conversation and the audit.';
    reply.interrupted(note, () => this.load());
    this.#trail.problem(note);
  }

  /** Applies one event of the turn; true when it ended the turn. */
  #apply(event, reply) {
    const status = this.#trail.add(event);
    if (status) this.#status.textContent = status;
    switch (event.type) {
      case 'message.delta':
        // Only the coordinator's words are the reply; a specialist's (under a hand-off id) show in the trail when done.
        if (!event.toolCallId) reply.append(event.text ?? '');
        return false;
      case 'turn.completed':
        reply.done(event.agent ?? 'coordinator', event.text ?? '');
        return true;
      case 'turn.failed':
        reply.fail(`The turn failed: ${event.reason ?? 'no reason given'}`);
        return true;
      default:
        return false;
    }
  }

  async #ensureConversation() {
    if (this.#conversationId) return this.#conversationId;
    const created = await sendJson('POST', '/api/conversations', {});
    this.#conversationId = created.id;
    rememberConversation(created.id);
    this.#describe({ id: created.id, createdBy: identity.me?.name ?? identity.name, createdAt: new Date().toISOString() });
    return created.id;
  }

  #startOver() {
    if (this.#running) return;
    this.#forget();
    this.#messages.replaceChildren();
    this.#suggestions.hidden = false;
    document.getElementById('trail').replaceChildren(h('p', { class: 'empty' }, 'Send a message to watch the turn.'));
    this.#status.textContent = '';
    this.#input.focus();
  }

  #forget() {
    this.#conversationId = null;
    rememberConversation(null);
    this.#describe(null);
  }

  #describe(conversation) {
    if (!conversation) {
      this.#meta.textContent = 'A new conversation with the coordinator.';
      return;
    }
    this.#meta.replaceChildren(
      h('code', { title: 'Conversation id' }, conversation.id),
      conversation.createdBy ? ` · started by ${conversation.createdBy}` : '',
      conversation.createdAt ? h('span', { title: dateTime(conversation.createdAt) }, ` at ${clock(conversation.createdAt)}`) : '');
  }

  #setRunning(running) {
    this.#running = running;
    this.#sendButton.disabled = running;
    this.#newButton.disabled = running;
    this.#sendButton.textContent = running ? 'Working…' : 'Send';
    this.#composer.classList.toggle('running', running);
    if (!running) this.#status.textContent = '';
  }

  #scroll() {
    this.#messages.lastElementChild?.scrollIntoView({ block: 'end', behavior: 'smooth' });
  }
}

/** The events of a streamed turn, as they arrive. */
async function* streamed(response) {
  for await (const message of readServerSentEvents(response.body)) {
    try {
      const event = JSON.parse(message.data);
      event.type ??= message.event;
      yield event;
    } catch {
      console.warn('Skipped an event whose data is not JSON:', message);
    }
  }
}

/** The events of a turn the Api answered as one JSON document (it did not stream). */
async function* answered(response) {
  const turn = await response.json();
  const events = turn.events ?? [];
  yield* events;
  if (!events.some(e => e.type === 'turn.completed' || e.type === 'turn.failed')) {
    yield { type: 'turn.completed', agent: 'coordinator', text: turn.reply };
  }
}

function bubble(kind, who, text, at) {
  return h('li', { class: `message ${kind}` },
    h('div', { class: 'message-head' }, h('strong', {}, who), at ? h('time', { datetime: at, title: dateTime(at) }, clock(at)) : null),
    h('p', { class: 'message-text' }, text));
}

/** The assistant's answer while it is being worked on: a typing indicator, then the reply or what went wrong. */
class Reply {
  #element;
  #text;

  constructor(list) {
    this.#text = h('p', { class: 'message-text' }, h('span', { class: 'typing', 'aria-label': 'working' }, h('i'), h('i'), h('i')));
    this.#element = h('li', { class: 'message assistant pending' }, h('div', { class: 'message-head' }, h('strong', {}, 'coordinator')), this.#text);
    list.append(this.#element);
  }

  append(delta) {
    if (this.#element.classList.contains('pending')) {
      this.#element.classList.remove('pending');
      this.#text.textContent = '';
    }
    this.#text.append(delta);
  }

  done(agent, text) {
    this.#element.replaceWith(bubble('assistant', agent, text, new Date().toISOString()));
  }

  fail(text) {
    this.#element.replaceWith(bubble('error', 'not answered', text));
  }

  interrupted(text, reload) {
    const element = bubble('error', 'connection closed', text);
    element.append(h('button', { type: 'button', class: 'secondary small', onclick: reload }, 'Reload the conversation'));
    this.#element.replaceWith(element);
  }
}
