// Chat with the coordinator: one conversation per tab, one turn at a time, the reply and the turn's trail streamed.
// A reload (or a dropped stream) re-attaches to the turn still under way, so nothing the turn did is lost from view.
import { ApiError, send, sendJson } from './api.js';
import { currentConversation, rememberConversation } from './conversations.js';
import { clock, dateTime, h } from './dom.js';
import { identity } from './identity.js';
import { ACTIVE, followTurn, isTerminal, loadConversation, loadTurnTrail, streamedEvents } from './reattach.js';
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
  #busyNote = document.getElementById('composer-busy');
  #lastStatus = '';
  #following = null;
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

  /** Shows the conversation this tab was in, if the Api still has it, and its latest turn: ended, or followed live. */
  async load() {
    this.#following?.abort();
    this.#messages.replaceChildren();
    if (!this.#conversationId) {
      this.#describe(null);
      return;
    }
    let conversation;
    try {
      conversation = await loadConversation(this.#conversationId);
      this.#describe(conversation);
      for (const message of conversation.messages ?? []) {
        const who = message.role === 'user' ? (conversation.createdBy ?? 'you') : (message.agent ?? 'assistant');
        this.#messages.append(bubble(message.role === 'user' ? 'user' : 'assistant', who, message.text, message.at));
      }
      // A failed turn that still answered (the demo model had no answer): its reason is for the developer, kept discreet.
      if (conversation.turn?.status === 'failed' && conversation.messages?.at(-1)?.role === 'assistant') {
        this.#messages.lastElementChild?.append(developerDetail(conversation.turn.reason));
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
    if (conversation?.turn) await this.#showTurn(conversation);
  }

  /** Draws the latest turn's trail; one still running or waiting gets its reply slot and is followed until it ends. */
  async #showTurn(conversation) {
    const turn = conversation.turn;
    const asked = (conversation.messages ?? []).findLast(m => m.role === 'user');
    const active = ACTIVE.has(turn.status);
    this.#trail.start(asked?.text ?? '');
    if (active) this.#setRunning(true);
    let trail = { events: [] };
    try {
      trail = await loadTurnTrail(conversation.id);
    } catch (error) {
      this.#trail.problem(`Could not load the turn's trail: ${error.message}`);
      if (!active) return;
    }
    const events = trail.events ?? [];
    if (!active) {
      for (const event of events) this.#trail.add(event);
      if (!events.some(e => isTerminal(e.type))) this.#trail.ended(turn);
      return;
    }
    const reply = new Reply(this.#messages);
    this.#scroll();
    let ended = false;
    let lastSeq = 0;
    for (const event of events) {
      ended = this.#apply(event, reply) || ended;
      lastSeq = Math.max(lastSeq, event.seq ?? 0);
    }
    try {
      if (!ended) await this.#follow(conversation.id, reply, lastSeq);
    } finally {
      this.#setRunning(false);
      this.#scroll();
      this.#onTurnEnded?.(this.#conversationId);
    }
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
    let lastSeq = 0;
    let id;
    try {
      id = await this.#ensureConversation();
      response = await send('POST', `/api/conversations/${encodeURIComponent(id)}/messages`, { body: { text }, accept: 'text/event-stream' });
      const events = (response.headers.get('Content-Type') ?? '').includes('text/event-stream') ? streamedEvents(response) : answered(response);
      for await (const event of events) {
        ended = this.#apply(event, reply) || ended;
        lastSeq = Math.max(lastSeq, event.seq ?? 0);
      }
    } catch (error) {
      if (!response) {
        // The message started no turn (busy, too long, no such conversation): give it back so nothing is lost.
        sent.classList.add('not-sent');
        reply.fail(error instanceof ApiError ? error.message : `The message was not sent: ${error.message}`);
        this.#trail.problem(error.message);
        if (!this.#input.value) this.#input.value = text;
        if (error.status === 404) this.#forget();
        ended = true;
      }
      // Otherwise the stream broke off mid-turn (the Api restarted, say): the turn goes on, and is re-attached to below.
    }
    try {
      if (!ended) await this.#follow(id, reply, lastSeq);
    } finally {
      this.#setRunning(false);
      this.#scroll();
      this.#onTurnEnded?.(this.#conversationId);
    }
  }

  /** Follows the turn after event lastSeq until it ends, re-attaching each time the stream drops. */
  async #follow(id, reply, lastSeq) {
    const following = new AbortController();
    this.#following = following;
    try {
      const outcome = await followTurn(id, lastSeq, {
        signal: following.signal,
        onEvent: event => this.#apply(event, reply),
        onAttached: () => { this.#status.textContent = this.#lastStatus; },
        onRetry: (seconds, reason) => {
          this.#status.textContent = `Lost the turn's events (${reason}); re-attaching in ${seconds} s. The turn goes on in the Api.`;
        },
      });
      if (!outcome.ended) this.#endedUnseen(outcome.conversation, reply);
    } catch (error) {
      if (error.name === 'AbortError') return;
      this.#interrupted(reply, error.message);
    } finally {
      if (this.#following === following) this.#following = null;
    }
  }

  /** The turn ended without its last event reaching the page: show its end as the conversation records it. */
  #endedUnseen(conversation, reply) {
    const turn = conversation.turn ?? { status: 'failed' };
    const answer = conversation.messages?.at(-1);
    if (turn.status === 'completed' && answer?.role === 'assistant') {
      reply.done(answer.agent ?? 'coordinator', answer.text);
    } else if (turn.status === 'failed' && answer?.role === 'assistant') {
      reply.answeredButFailed(answer.agent ?? 'coordinator', answer.text, turn.reason);
    } else {
      reply.fail(`The turn ${turn.status === 'abandoned' ? 'was abandoned' : 'failed'}: ${turn.reason ?? 'no reason given'}`);
    }
    this.#trail.ended(turn);
  }

  #interrupted(reply, why) {
    const note = `Could not follow the turn (${why}). It goes on in the Api; its outcome lands in the conversation and the audit.`;
    reply.interrupted(note, () => this.load());
    this.#trail.problem(note);
  }

  /** Applies one event of the turn; true when it ended the turn. */
  #apply(event, reply) {
    const status = this.#trail.add(event);
    if (status) {
      this.#lastStatus = status;
      this.#status.textContent = status;
    }
    switch (event.type) {
      case 'message.delta':
        // Only the coordinator's words are the reply; a specialist's (under a hand-off id) show in the trail when done.
        if (!event.toolCallId) reply.append(event.text ?? '');
        return false;
      case 'turn.completed':
        reply.done(event.agent ?? 'coordinator', event.text ?? '');
        return true;
      case 'turn.failed':
        // A turn can fail with a reply for the customer (the demo model's honest answer); the reason is the developer's.
        if (event.text) reply.answeredButFailed(event.agent ?? 'coordinator', event.text, event.reason);
        else reply.fail(`The turn failed: ${event.reason ?? 'no reason given'}`);
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
    this.#following?.abort();
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
    // A second message would be refused (409) until the turn ends; say so where the person types it.
    this.#busyNote.hidden = !running;
    if (!running) {
      this.#status.textContent = '';
      this.#lastStatus = '';
    }
  }

  #scroll() {
    this.#messages.lastElementChild?.scrollIntoView({ block: 'end', behavior: 'smooth' });
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

/** The reason a turn that answered still failed, folded away: a developer opens it, a customer need not. */
function developerDetail(reason) {
  return h('details', { class: 'developer-detail' }, h('summary', {}, 'Details for the developer'), h('p', {}, reason ?? 'no reason given'));
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

  answeredButFailed(agent, text, reason) {
    const element = bubble('assistant', agent, text, new Date().toISOString());
    element.append(developerDetail(reason));
    this.#element.replaceWith(element);
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
