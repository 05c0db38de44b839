// The audit's filters: the form's fields as the query GET /api/audit and its export take; an empty field matches all.
import { instant } from './time-filter.js';

/** Query parameter → the form field that holds it. */
const FIELDS = {
  conversationId: 'audit-conversation',
  agent: 'audit-agent',
  tool: 'audit-tool',
  kind: 'audit-kind',
  decision: 'audit-decision',
  principal: 'audit-principal',
};

const field = id => document.getElementById(id);

/** The filters as URLSearchParams; throws when a time field does not hold a time. */
export function auditFilters() {
  const query = new URLSearchParams();
  for (const [name, id] of Object.entries(FIELDS)) {
    const value = field(id).value.trim();
    if (value) query.set(name, value);
  }
  const from = instant(field('audit-from'));
  const to = instant(field('audit-to'));
  if (from) query.set('from', from);
  if (to) query.set('to', to);
  return query;
}

/** Shows one conversation's audit: that conversation, every other filter cleared. */
export function filterToConversation(id) {
  // Cleared field by field: the form's reset event starts a selection of its own.
  for (const element of field('audit-picker').elements) {
    if (element.matches('input, select')) element.value = '';
  }
  field(FIELDS.conversationId).value = id;
}
