import { counter, MetricSet } from '../../../platform/observability/metrics/metric-set.js';

/** The mail context's own metrics; its queue's depth and its DLQ's are the platform's queue metrics. */
export const mailMetrics = new MetricSet({
  /** `sent`, `failed` (the server refused or did not answer: retried), `duplicate`, `expired`. */
  sent: counter(
    'emails_sent_total',
    'Mails handed to the mail server (or the development mailbox), by template and outcome',
    ['template', 'status'],
  ),
});
