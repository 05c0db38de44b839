// Who the page acts as. Demo mode (no keys or tokens configured): a name the caller picks, sent as X-User and
// remembered in localStorage. Otherwise an API key sent as X-Api-Key, or a bearer token (a JWT) pasted in and sent as
// Authorization: Bearer, kept in sessionStorage, so it leaves with the tab.
import { problemFrom } from './problem.js';

const NAME = 'agentsuite.user';
const KEY = 'agentsuite.apiKey';
export const DEMO_NAMES = ['alice', 'bob'];
// A JWT: three base64url parts separated by dots, the first a JSON header ("eyJ" is '{"' encoded).
const JWT = /^eyJ[\w-]*\.[\w-]*\.[\w-]*$/;

class Identity extends EventTarget {
  /** What GET /api/me answered: { name, roles, demoMode }, or null before that or when signed out. */
  me = null;
  /** The Api wants an API key or token that the page does not have, or did not accept the one it has. */
  needsKey = false;
  /** Why the page could not find out who it is (the Api is down, say); null when all is well. */
  error = null;

  get name() { return localStorage.getItem(NAME) || DEMO_NAMES[0]; }
  get key() { return sessionStorage.getItem(KEY) || ''; }
  get demoMode() { return this.me?.demoMode === true; }

  hasRole(role) { return this.me?.roles?.includes(role) ?? false; }

  headers() {
    const headers = {};
    if (this.key && !this.demoMode) {
      if (JWT.test(this.key)) headers.Authorization = `Bearer ${this.key}`;
      else headers['X-Api-Key'] = this.key;
    }
    if (!this.me || this.demoMode) headers['X-User'] = this.name;
    return headers;
  }

  async load() {
    try {
      const response = await fetch('/api/me', { headers: { Accept: 'application/json', ...this.headers() } });
      if (response.status === 401) {
        const hadKey = Boolean(this.key);
        this.me = null;
        this.needsKey = true;
        this.error = hadKey ? (await problemFrom(response)).message : null;
      } else if (!response.ok) {
        throw await problemFrom(response);
      } else {
        this.me = await response.json();
        this.needsKey = false;
        this.error = null;
        if (this.me.demoMode) sessionStorage.removeItem(KEY);
      }
    } catch (error) {
      this.me = null;
      this.error = error.name === 'TypeError' ? 'The Api did not answer. Check that it is running, then reload.' : error.message;
    }
    this.dispatchEvent(new Event('change'));
  }

  async useName(name) {
    localStorage.setItem(NAME, name.trim());
    await this.load();
  }

  async useKey(key) {
    sessionStorage.setItem(KEY, key.trim().replace(/^Bearer\s+/i, ''));
    this.me = null;
    await this.load();
  }

  async signOut() {
    sessionStorage.removeItem(KEY);
    this.me = null;
    await this.load();
  }

  /** A request was refused with 401: the key was revoked or the token expired. */
  unauthorized() {
    if (this.demoMode || !this.me) return;
    this.me = null;
    this.needsKey = true;
    this.error = 'The Api no longer accepts your API key or token (a token expires). Sign in again.';
    this.dispatchEvent(new Event('change'));
  }
}

export const identity = new Identity();
