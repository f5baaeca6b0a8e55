import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import AdminPage from './AdminPage';

const staff = { ...testUser, id: 1, is_staff: true };
const render = (path = '/admin') => renderPage(<AdminPage />, { path, initialUser: staff });

const METRICS = {
  timestamp: '2025-03-01T00:00:00Z',
  users: 1234,
  active_users: 1200,
  verified_users: 1100,
  new_users_7_days: 42,
  contents: 9876,
  categories: 300,
  reviews: 50000,
  reviews_24_hours: 800,
  exams: 90,
  completed_exams: 70,
};

describe('AdminPage', () => {
  it('shows the business numbers and switches tabs with the arrow keys', async () => {
    mockFetch(({ url }) => (url === '/api/metrics/business/' ? json(METRICS) : json({ jobs: [], dead: 0, count: 0, results: [] })));
    render();
    expect(await screen.findByText('1,234')).toBeInTheDocument();
    expect(screen.getByText('최근 7일 가입').nextElementSibling).toHaveTextContent('42');
    const first = screen.getByRole('tab', { name: '지표' });
    expect(first).toHaveAttribute('aria-selected', 'true');
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    const users = screen.getByRole('tab', { name: '사용자' });
    expect(users).toHaveAttribute('aria-selected', 'true');
    expect(users).toHaveFocus();
    fireEvent.keyDown(users, { key: 'End' });
    expect(screen.getByRole('tab', { name: '백업' })).toHaveAttribute('aria-selected', 'true');
  });

  it('lists users and toggles staff after a confirmation', async () => {
    const user = userEvent.setup();
    const other = { ...testUser, id: 2, email: 'b@example.com', is_staff: false };
    const { calls } = mockFetch(({ method }) =>
      method === 'PATCH'
        ? json({ ...other, is_staff: true })
        : json({ count: 2, next: null, previous: null, results: [staff, other] }),
    );
    render('/admin?tab=users');
    const table = await screen.findByRole('table', { name: '사용자 목록' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(within(table).getByRole('button', { name: '관리자 해제: me@example.com' })).toBeDisabled(); // own row
    await user.click(within(table).getByRole('button', { name: '관리자로 지정: b@example.com' }));
    const dialog = screen.getByRole('alertdialog', { name: 'b@example.com 계정을 변경할까요?' });
    await user.click(within(dialog).getByRole('button', { name: '관리자로 지정' }));
    expect(await screen.findByText('b@example.com 계정을 변경했습니다.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
      url: '/api/accounts/users/2/',
      body: { is_staff: true },
    });
  });

  it('requeues a dead letter by its id and refreshes the queue', async () => {
    const user = userEvent.setup();
    let requeued = false;
    const { calls } = mockFetch(({ url, method }) => {
      if (url === '/api/admin/jobs/') return json({ jobs: [{ type: 'send_email', queued: 3, running: 1, delayed: 0 }], dead: requeued ? 0 : 1 });
      if (url === '/api/admin/jobs/dead/?limit=100')
        return json(
          requeued
            ? { count: 0, results: [] }
            : { count: 1, results: [{ id: '1700000000000-0', type: 'send_email', job_id: 'j-1', error: 'SMTP down', attempts: 5, failed_at: '2025-03-01T00:00:00Z' }] },
        );
      if (url === '/api/admin/jobs/dead/1700000000000-0/requeue/' && method === 'POST') {
        requeued = true;
        return json({ message: '작업을 다시 대기열에 넣었습니다.', type: 'send_email' });
      }
      return json({}, 404);
    });
    render('/admin?tab=queue');
    expect(await screen.findByRole('table', { name: '작업 종류별 현황' })).toHaveTextContent('send_email');
    expect(await screen.findByText('SMTP down')).toBeInTheDocument();
    expect(screen.getByText('실패한 작업 1개')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: '다시 넣기: send_email 1700000000000-0' }));
    expect(await screen.findByText('작업을 다시 대기열에 넣었습니다.')).toBeInTheDocument();
    expect(await screen.findByText('실패한 작업이 없습니다.')).toBeInTheDocument();
    expect(calls.filter((c) => c.url === '/api/admin/jobs/dead/?limit=100').length).toBeGreaterThanOrEqual(2);
    await waitFor(() => expect(calls.filter((c) => c.url === '/api/admin/jobs/').length).toBeGreaterThanOrEqual(2));
  });

  it('lists backups with readable sizes and highlights a failed last run', async () => {
    mockFetch(() =>
      json({
        backups: [{ key: 'backups/2025-03-01.sql.gz', created_at: '2025-03-01T03:00:00Z', bytes: 15_400_000, sha256: 'abcdef0123456789'.repeat(4) }],
        last_run: { started_at: '2025-03-02T03:00:00Z', finished_at: '2025-03-02T03:01:00Z', outcome: 'failed', key: null, step: 'upload', error: 'bucket not found' },
      }),
    );
    render('/admin?tab=backups');
    expect(await screen.findByText('마지막 백업이 실패했습니다')).toBeInTheDocument();
    expect(screen.getByText('bucket not found')).toBeInTheDocument();
    expect(screen.getByText('실패')).toBeInTheDocument();
    const table = screen.getByRole('table', { name: '보관 중인 백업' });
    expect(within(table).getByText('15.4 MB')).toBeInTheDocument();
    expect(within(table).getByText('abcdef012345…')).toHaveAttribute('title', 'abcdef0123456789'.repeat(4));
  });
});
