// The page: who you are, which section shows, and what each section may show for your roles.
import { ApprovalsView } from './approvals.js';
import { AuditView } from './audit.js';
import { ChatView } from './chat.js';
import { ConversationsView } from './conversations-view.js';
import { fill, h } from './dom.js';
import { renderIdentity } from './identity-control.js';
import { identity } from './identity.js';
import { KillSwitchView } from './killswitch.js';
import { StatusView } from './status.js';
import { refreshStoppedBanner } from './stopped.js';

const approvals = new ApprovalsView();
const audit = new AuditView();
const views = {
  chat: new ChatView({ onTurnEnded: () => { approvals.refresh(); refreshStoppedBanner(); } }),
  approvals,
  audit,
  conversations: new ConversationsView({ openAudit: id => { audit.showConversation(id); location.hash = 'audit'; } }),
  governance: new KillSwitchView(),
  status: new StatusView(),
};
let active = null;

function route() {
  const requested = location.hash.slice(1).split('?')[0];   // #audit?conversation=... (or #approvals?...) opens a view on one conversation
  const name = requested in views ? requested : 'chat';
  for (const tab of document.querySelectorAll('[data-tab]')) {
    tab.toggleAttribute('aria-current', tab.dataset.tab === name);
  }
  const signedIn = Boolean(identity.me);
  document.querySelector('.tabs').hidden = !signedIn;
  for (const view of document.querySelectorAll('.view')) {
    view.hidden = !signedIn || view.dataset.view !== name;
  }
  if (active !== name) views[active]?.deactivate?.();
  active = name;
  if (signedIn && identity.hasRole(document.querySelector(`[data-view="${name}"]`).dataset.role)) {
    views[name].activate?.();
    if (name === 'chat') refreshStoppedBanner();
  }
}

/** Each section says what role it needs instead of failing when the caller lacks it. */
function gate() {
  for (const view of document.querySelectorAll('.view')) {
    const role = view.dataset.role;
    const allowed = identity.hasRole(role);
    const gateElement = view.querySelector('.gate');
    view.querySelector('.content').hidden = !allowed;
    gateElement.hidden = allowed;
    if (!allowed && identity.me) {
      fill(gateElement, h('div', { class: 'card gate-card' },
        h('h1', {}, `This needs the ${role} role`),
        h('p', {}, `${identity.me.name} holds ${listRoles(identity.me.roles)}, and ${view.dataset.purpose} needs ${role}. `,
          identity.demoMode ? '' : 'Sign in with a key that has it, or ask an admin to grant it.')));
    }
  }
}

function listRoles(roles) {
  return roles?.length ? `the role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}` : 'no role';
}

function showSignIn() {
  const signin = document.getElementById('signin');
  signin.hidden = !identity.needsKey;
  const error = document.getElementById('signin-error');
  error.textContent = identity.needsKey && identity.error ? identity.error : '';
  error.hidden = !error.textContent;
  if (identity.needsKey) document.getElementById('api-key').focus();
}

function showBanner() {
  const banner = document.getElementById('banner');
  const down = !identity.me && !identity.needsKey && identity.error;
  banner.hidden = !down;
  if (down) {
    fill(banner, h('span', {}, identity.error), h('button', { type: 'button', class: 'secondary small', onclick: () => identity.load() }, 'Try again'));
  }
}

document.getElementById('signin-form').addEventListener('submit', event => {
  event.preventDefault();
  const key = document.getElementById('api-key');
  identity.useKey(key.value).then(() => { key.value = ''; });
});

let loadedChat = false;
identity.addEventListener('change', () => {
  document.body.dataset.user = identity.me?.name ?? '';
  renderIdentity(document.getElementById('identity'));
  showSignIn();
  showBanner();
  gate();
  approvals.identityChanged();
  if (identity.hasRole('user') && !loadedChat) {
    loadedChat = true;
    views.chat.load();
  }
  route();
});
window.addEventListener('hashchange', route);

await identity.load();
approvals.start();
