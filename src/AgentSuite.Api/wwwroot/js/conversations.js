// The conversation this tab is in (sessionStorage, so a reload comes back to it) and the ones this browser has seen
// recently (localStorage, offered in the audit view).
const CURRENT = 'agentsuite.conversation';
const RECENT = 'agentsuite.recentConversations';
const KEEP = 12;

export function currentConversation() {
  return sessionStorage.getItem(CURRENT);
}

export function rememberConversation(id) {
  if (!id) {
    sessionStorage.removeItem(CURRENT);
    return;
  }
  sessionStorage.setItem(CURRENT, id);
  const recent = recentConversations().filter(known => known !== id);
  localStorage.setItem(RECENT, JSON.stringify([id, ...recent].slice(0, KEEP)));
}

export function recentConversations() {
  try {
    const recent = JSON.parse(localStorage.getItem(RECENT) ?? '[]');
    return Array.isArray(recent) ? recent.filter(id => typeof id === 'string') : [];
  } catch {
    return [];
  }
}
