// RFC 9457 problem details, turned into errors whose message is the text a person should read.

export class ApiError extends Error {
  constructor(status, title, detail) {
    super(detail || title || `The Api answered ${status}.`);
    this.status = status;
    this.title = title;
  }
}

/** Reads a failed response: the problem's detail when there is one, else a sentence about the status. */
export async function problemFrom(response) {
  let title = response.statusText;
  let detail = '';
  try {
    const type = response.headers.get('Content-Type') ?? '';
    if (type.includes('json')) {
      const problem = await response.json();
      title = problem.title ?? title;
      detail = problem.detail ?? '';
    } else {
      detail = (await response.text()).trim().slice(0, 300);
    }
  } catch {
    // The body was not what it claimed to be; the status still says enough.
  }
  return new ApiError(response.status, title, detail || fallbackDetail(response.status, title));
}

function fallbackDetail(status, title) {
  switch (status) {
    case 401: return 'The Api did not accept your API key. Sign in again.';
    case 403: return 'Your roles do not allow this.';
    case 404: return 'The Api does not know this item; it may have been removed.';
    case 409: return 'Someone else changed this first. Refresh and try again.';
    default: return `The Api answered ${status}${title ? ` ${title}` : ''}.`;
  }
}
