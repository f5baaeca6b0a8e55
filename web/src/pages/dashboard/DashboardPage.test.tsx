import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import { localDateKey } from '../../lib/dates';
import { createQueryClient } from '../../api/queryClient';
import DashboardPage from './DashboardPage';
import { prefetchDashboard } from './dashboardQueries';

const usage = (current: number, limit: number) => ({
  current,
  limit,
  remaining: Math.max(0, limit - current),
  percentage: (current / limit) * 100,
  can_create: current < limit,
  tier: 'free',
});

function api(url: string) {
  const path = url.split('?')[0];
  if (path === '/api/review/dashboard/')
    return json({ today_reviews: 5, pending_reviews: 2, total_content: 18, success_rate: 82.5, total_reviews_30_days: 40 });
  if (path === '/api/review/activity/')
    return json({
      days: [0, 1, 2].map((i) => ({ date: localDateKey(new Date(2025, 0, 1 + i)), reviews: i, remembered: i })),
      streak: 3,
      longest_streak: 9,
      weekly_goal: 7,
      this_week: 4,
    });
  if (path === '/api/review/forecast/')
    return json({ days: [3, 0, 1].map((due, i) => ({ date: localDateKey(new Date(2025, 0, 3 + i)), due })) });
  if (path === '/api/contents/') return json({ count: 18, results: [], usage: usage(20, 20) });
  if (path === '/api/categories/') return json({ count: 1, results: [], usage: usage(1, 999999) });
  return json({ detail: 'nope' }, 404);
}

describe('DashboardPage', () => {
  it('shows today, stats, the charts and plan usage', async () => {
    const { calls } = mockFetch(({ url }) => api(url));
    renderPage(<DashboardPage />, { path: '/dashboard', initialUser: testUser });
    expect(screen.getByRole('heading', { level: 1, name: '대시보드' })).toBeInTheDocument();
    expect(await screen.findByText('오늘 복습할 카드 5장')).toBeInTheDocument();
    expect(screen.getByText('밀린 복습 2장 포함')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '복습 시작' })).toHaveAttribute('href', '/review');
    expect(await screen.findByText('3일')).toBeInTheDocument();
    expect(screen.getByText('최장 9일')).toBeInTheDocument();
    const goal = screen.getByRole('progressbar', { name: '이번 주 복습 4회, 목표 7회' });
    expect(goal).toHaveAttribute('aria-valuenow', '4');
    expect(screen.getByText('82.5%')).toBeInTheDocument();
    expect(screen.getByText('18')).toBeInTheDocument();
    const images = await screen.findAllByRole('img');
    expect(images.map((i) => i.getAttribute('aria-labelledby'))).toHaveLength(2);
    const notes = await screen.findByRole('meter', { name: '노트' });
    expect(notes).toHaveAttribute('aria-valuetext', '20 / 20');
    expect(screen.getByText('한도에 도달했습니다.')).toBeInTheDocument();
    const usage = screen.getByRole('region', { name: '플랜 사용량' });
    expect(within(usage).getByRole('link', { name: '플랜 업그레이드' })).toHaveAttribute('href', '/subscription');
    expect(await screen.findByRole('meter', { name: '카테고리' })).toHaveAttribute('aria-valuetext', '1개 (무제한)');
    expect(calls.map((c) => c.url)).toEqual(
      expect.arrayContaining(['/api/review/activity/?days=365', '/api/review/forecast/?days=30', '/api/contents/?page_size=1']),
    );
  });

  it('finds everything in the cache after prefetchDashboard (main.tsx) and asks nothing more', async () => {
    const { calls } = mockFetch(({ url }) => api(url));
    const queryClient = createQueryClient();
    prefetchDashboard(queryClient);
    await waitFor(() => expect(queryClient.isFetching()).toBe(0));
    expect(calls).toHaveLength(5);
    renderPage(<DashboardPage />, { path: '/dashboard', initialUser: testUser, queryClient });
    expect(screen.getByText('오늘 복습할 카드 5장')).toBeInTheDocument();
    expect(screen.getByRole('meter', { name: '노트' })).toHaveAttribute('aria-valuetext', '20 / 20');
    expect(calls).toHaveLength(5);
  });

  it('shows an error with a retry when the numbers fail', async () => {
    mockFetch(({ url }) => (url.startsWith('/api/review/dashboard/') ? json({ detail: 'boom' }, 403) : api(url)));
    renderPage(<DashboardPage />, { path: '/dashboard', initialUser: testUser });
    expect((await screen.findAllByText('boom'))[0]?.closest('[role="alert"]')).not.toBeNull();
    expect(screen.getAllByRole('button', { name: '다시 시도' }).length).toBeGreaterThan(0);
  });
});
