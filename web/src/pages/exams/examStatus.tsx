import type { ExamStatus } from '../../api/types';
import { Badge, type BadgeTone } from '../../components/Badge';
import { useMessages } from '../../i18n/react';
import { messages, type ExamMessageKey } from './messages';

const STATUS: Record<string, { key: ExamMessageKey; tone: BadgeTone }> = {
  preparing: { key: 'statusPreparing', tone: 'warning' },
  pending: { key: 'statusPending', tone: 'info' },
  in_progress: { key: 'statusInProgress', tone: 'info' },
  completed: { key: 'statusCompleted', tone: 'success' },
};

export function ExamStatusBadge({ status }: { status: ExamStatus }) {
  const t = useMessages(messages);
  const s = STATUS[status];
  return <Badge tone={s?.tone ?? 'neutral'}>{s ? t(s.key) : status}</Badge>;
}
