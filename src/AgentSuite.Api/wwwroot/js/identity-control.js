// The identity control in the top bar: a name switch in demo mode, the signed-in key's name and roles otherwise.
import { chip, fill, h } from './dom.js';
import { DEMO_NAMES, identity } from './identity.js';

const SOMEONE_ELSE = '\u0000other';

export function renderIdentity(container) {
  if (identity.demoMode) {
    fill(container, demoSwitch());
  } else if (identity.me) {
    fill(container,
      h('span', { class: 'who' }, h('span', { class: 'muted' }, 'Signed in as '), h('strong', { id: 'user-name' }, identity.me.name)),
      h('span', { class: 'roles' }, (identity.me.roles ?? []).map(role => chip(role, 'info'))),
      h('button', { type: 'button', class: 'ghost small', onclick: () => identity.signOut() }, 'Sign out'));
  } else {
    fill(container);
  }
}

function demoSwitch() {
  const current = identity.name;
  const names = [...new Set([...DEMO_NAMES, current])];
  const select = h('select', { id: 'user-name', 'aria-label': 'Acting as' },
    names.map(name => h('option', { value: name, selected: name === current }, name)),
    h('option', { value: SOMEONE_ELSE }, 'Someone else…'));
  const custom = h('input', { id: 'user-custom', class: 'custom-name', placeholder: 'Any name, then Enter', 'aria-label': 'Your name', hidden: true, autocomplete: 'off' });

  select.addEventListener('change', () => {
    if (select.value === SOMEONE_ELSE) {
      custom.hidden = false;
      custom.focus();
    } else {
      identity.useName(select.value);
    }
  });
  custom.addEventListener('keydown', event => {
    if (event.key === 'Enter' && custom.value.trim()) identity.useName(custom.value);
    if (event.key === 'Escape') {
      custom.hidden = true;
      select.value = current;
    }
  });

  return [
    h('span', { class: 'pill demo', title: 'No API keys are configured. Pick any name: every name holds every role, and nobody approves their own request, so play the requester as one name and the approver as another.' }, 'Demo mode'),
    h('label', { class: 'acting-as', for: 'user-name' }, 'Acting as'),
    select,
    custom,
  ];
}
