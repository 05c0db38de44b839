// Tells a user in Chat that an operator has stopped tools, so refusals do not come as a surprise.
import { getJson } from './api.js';
import { fill, h } from './dom.js';

const banner = document.getElementById('stopped-banner');

export async function refreshStoppedBanner() {
  let engaged = [];
  try {
    engaged = (await getJson('/api/kill-switch'))?.engaged ?? [];
  } catch (error) {
    // The banner only informs; the turn's own events say what was refused and why.
    console.warn('Could not read the kill switches:', error.message);
  }
  banner.hidden = engaged.length === 0;
  if (engaged.includes('global')) {
    fill(banner, h('strong', {}, 'An operator has stopped every tool call. '), 'Agents can answer, but cannot act, until it is released.');
  } else if (engaged.length > 0) {
    fill(banner, h('strong', {}, 'An operator has stopped some tools: '), engaged.join(', '), '. Requests that need them are refused until they are released.');
  }
}
