// Small DOM helpers. Text always goes in as text nodes, never as HTML, so nothing an agent or a user wrote can run.

/** Builds an element: h('li', { class: 'step', dataset: { event: 'x' }, onclick: fn }, 'text', child). */
export function h(tag, props = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** Shows a message in an error slot, or hides the slot when the message is empty. */
export function showError(element, error) {
  const text = error ? (error.message ?? String(error)) : '';
  element.textContent = text;
  element.hidden = !text;
}

/** 14:03:27 in the reader's locale; the full date and time as a tooltip where it is used. */
export function clock(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateTime(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  return Number.isNaN(at.getTime()) ? iso : at.toLocaleString();
}

/** A JSON value as indented text; a string that holds JSON is parsed first. */
export function prettyJson(value) {
  if (typeof value === 'string') {
    try { value = JSON.parse(value); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

/** A chip: a short coloured label. tone is ok, bad, warn, info or plain. */
export function chip(text, tone = 'plain') {
  return h('span', { class: `chip ${tone}` }, text);
}

export function shortHash(hash) {
  return hash ? `${hash.slice(0, 10)}…` : '';
}
