// Re-attaching to a conversation's current turn: its trail so far as JSON, then its events live from the last one
// shown. A stream that drops (the Api restarted, the network blinked) is opened again from the last event seen.
import { ApiError, getJson, send } from './api.js';
import { readServerSentEvents } from './sse.js';

/** The turn statuses that still lead to a reply. */
export const ACTIVE = new Set(['running', 'waiting']);

export const isTerminal = type => type === 'turn.completed' || type === 'turn.failed';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 10_000;

const conversationPath = id => `/api/conversations/${encodeURIComponent(id)}`;

export function loadConversation(id) {
  return getJson(conversationPath(id));
}

/** { runId, status, events }: the latest turn's trail so far. */
export function loadTurnTrail(id) {
  return getJson(`${conversationPath(id)}/turns/current/events`);
}

/** The events of a text/event-stream response, as they arrive, each with its seq. */
export async function* streamedEvents(response) {
  for await (const message of readServerSentEvents(response.body)) {
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      console.warn('Skipped an event whose data is not JSON:', message);
      continue;
    }
    event.type ??= message.event;
    event.seq ??= message.id == null ? undefined : Number(message.id);
    yield event;
  }
}

/**
 * Follows the conversation's current turn after event `afterSeq` until it ends. Calls onEvent(event) for each event,
 * onAttached() each time a stream opens, and onRetry(seconds, reason) before each reconnection. Resolves to
 * { ended: true } when the turn's last event arrived, or to { ended: false, conversation } when the turn ended without
 * it reaching this page (it was abandoned after a restart, say): the conversation then says how it ended. Throws
 * ApiError when the Api refuses (the conversation is gone, or not the caller's).
 */
export async function followTurn(id, afterSeq, { onEvent, onAttached, onRetry, signal } = {}) {
  let last = afterSeq ?? 0;
  let delay = FIRST_DELAY_MS;
  for (;;) {
    let reason;
    try {
      const response = await send('GET', `${conversationPath(id)}/turns/current/events?lastEventId=${last}`, { accept: 'text/event-stream', signal });
      onAttached?.();
      for await (const event of streamedEvents(response)) {
        delay = FIRST_DELAY_MS;
        if (Number.isFinite(event.seq)) last = Math.max(last, event.seq);
        onEvent?.(event);
        if (isTerminal(event.type)) return { ended: true };
      }
      // The stream closed before the turn's end: the Api is stopping, or the turn ended where this stream could not see it.
      const conversation = await loadConversation(id);
      if (!ACTIVE.has(conversation.turn?.status)) return { ended: false, conversation };
      reason = 'the Api closed the stream';
    } catch (error) {
      if (error.name === 'AbortError' || !retryable(error)) throw error;
      reason = error instanceof ApiError ? error.message : 'the connection dropped';
    }
    onRetry?.(Math.round(delay / 100) / 10, reason);
    await sleep(delay, signal);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
}

/** Nothing answered, the body broke off, or the Api had a passing fault; a refusal (4xx) is final. */
function retryable(error) {
  return !(error instanceof ApiError) || error.status === 0 || error.status === 408 || error.status === 429 || error.status >= 500;
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('Stopped following the turn.', 'AbortError'));
    }, { once: true });
  });
}
