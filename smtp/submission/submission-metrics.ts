import { Counter, type Registry } from 'prom-client';

function counter(registry: Registry, name: string, help: string, labelNames: string[]): Counter<string> {
  return (registry.getSingleMetric(name) as Counter<string> | undefined) ?? new Counter({ name, help, labelNames, registers: [registry] });
}

export interface SubmissionMetrics {
  auth: Counter<string>;
  messages: Counter<string>;
}

/** Looked up before creation: the 587 and 465 listeners share one registry. */
export function submissionMetrics(registry: Registry): SubmissionMetrics {
  return {
    auth: counter(registry, 'heron_submission_auth_total', 'Submission logins by result', ['result']),
    messages: counter(registry, 'heron_submission_messages_total', 'Submitted messages by reply code', ['code']),
  };
}
