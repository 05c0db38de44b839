// Time filters: a datetime-local field is the reader's local time; the Api wants an instant with an offset.

/** The field's time as an ISO 8601 instant in UTC, or null when it is empty. */
export function instant(input) {
  if (!input.value) return null;
  const at = new Date(input.value);
  if (Number.isNaN(at.getTime())) throw new Error(`${input.labels?.[0]?.textContent ?? input.id} is not a date and time.`);
  return at.toISOString();
}
