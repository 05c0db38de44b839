// The one place that talks to the Api: who the caller is, JSON in and out, and RFC 9457 problem details as errors.
import { identity } from './identity.js';
import { ApiError, problemFrom } from './problem.js';

export { ApiError };

/** Sends a request and returns the response when it succeeded; throws ApiError otherwise. */
export async function send(method, path, { body, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept, ...identity.headers() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, signal, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'Network error', 'The Api did not answer. Check that it is running, then try again.');
  }
  if (response.status === 401) identity.unauthorized();
  if (!response.ok) throw await problemFrom(response);
  return response;
}

export async function getJson(path, options) {
  const response = await send('GET', path, options);
  return response.json();
}

export async function sendJson(method, path, body) {
  const response = await send(method, path, { body });
  return response.status === 204 ? null : response.json();
}
