// How an audit entry reads: a label and a tone for its kind and decision.

export function describeEntry(entry) {
  const decision = entry.decision;
  switch (entry.kind) {
    case 'tool.decision':
      return decision === 'denied' ? ['denied', 'bad'] : [decision ?? 'allowed', 'ok'];
    case 'tool.completed':
      return decision === 'replayed' ? ['replayed', 'info'] : ['completed', 'ok'];
    case 'tool.failed':
      return ['failed', 'bad'];
    case 'approval.requested':
      return ['approval requested', 'warn'];
    case 'approval.resolved':
      if (decision === 'approved') return ['approved', 'ok'];
      return [decision === 'timed_out' ? 'approval timed out' : 'approval denied', 'bad'];
    case 'governance.kill_switch':
      return [`kill switch ${decision ?? ''}`.trim(), 'warn'];
    case 'agent_call.received':
      return decision === 'refused' ? ['call refused at the door', 'bad'] : ['call received', 'info'];
    case 'budget.exceeded':
      return ['token budget spent', 'bad'];
    case 'governance.tool_pinned':
      return ['tool pinned', 'info'];
    default:
      return [decision ? `${entry.kind}: ${decision}` : entry.kind, 'plain'];
  }
}
