import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { BillingCycle, Subscription, TierInfo } from '../../api/types';
import { json, mockFetch, type Call } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import SubscriptionPage from './SubscriptionPage';

// tier_display as the API sends it (the original's fixed labels): the page names plans itself.
const BASE: [string, string, number, number, number][] = [
  ['free', 'Free (3일)', 0, 3, 0],
  ['basic', 'Basic (90일)', 1, 90, 10_000],
  ['pro', 'Pro (180일)', 2, 180, 25_000],
];

function tiers(cycle: BillingCycle): TierInfo[] {
  return BASE.map(([tier, display, level, days, monthly]) => ({
    tier,
    tier_display: display,
    level,
    max_interval_days: days,
    monthly_price: monthly,
    price: cycle === 'yearly' ? (monthly * 12 * 4) / 5 : monthly,
    billing_cycle: cycle,
    content_limit: tier === 'pro' ? 999_999 : 100,
    category_limit: tier === 'pro' ? 999_999 : 10,
    features: [],
  }));
}

const basic: Subscription = {
  id: 1,
  tier: 'basic',
  tier_display: 'Basic (90일)',
  max_interval_days: 90,
  start_date: '2025-01-01T00:00:00Z',
  end_date: null,
  is_active: true,
  days_remaining: null,
  is_expired: false,
  auto_renewal: true,
  next_billing_date: null,
  payment_method: '',
};

function api(change: (call: Call) => Response = () => json({ ...basic, tier: 'pro', tier_display: 'Pro (180일)' })) {
  return mockFetch((call) => {
    if (call.url === '/api/accounts/subscription/') return json(basic);
    if (call.url.startsWith('/api/accounts/subscription/tiers/')) {
      const cycle = call.url.endsWith('yearly') ? 'yearly' : 'monthly';
      return json({ tiers: tiers(cycle), billing_cycle: cycle });
    }
    if (call.url === '/api/accounts/subscriptions/me/') return change(call);
    if (call.url === '/api/accounts/users/me/') return json(testUser);
    return json({}, 404);
  });
}

const render = () => renderPage(<SubscriptionPage />, { path: '/subscription', initialUser: testUser });

describe('SubscriptionPage', () => {
  it('shows the current plan and the tiers, and changes plan with the chosen billing cycle', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    expect(await screen.findByRole('heading', { name: '프로 (180일)' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '현재 요금제' })).toBeDisabled();
    expect(screen.getByText('₩25,000')).toBeInTheDocument();
    expect(screen.getAllByText('무제한')).toHaveLength(2);

    await user.click(screen.getByRole('radio', { name: '연간 (20% 할인)' }));
    expect(await screen.findByText('₩240,000')).toBeInTheDocument();
    expect(calls.some((c) => c.url === '/api/accounts/subscription/tiers/?billing_cycle=yearly')).toBe(true);

    await user.click(screen.getByRole('button', { name: '업그레이드: 프로 (180일)' }));
    const dialog = screen.getByRole('alertdialog', { name: '프로 (180일) 요금제로 바꿀까요?' });
    await user.click(within(dialog).getByRole('button', { name: '변경하기' }));
    expect(await screen.findByText('프로 (180일) 요금제로 바꿨습니다.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
      url: '/api/accounts/subscriptions/me/',
      body: { tier: 'pro', billing_cycle: 'yearly' },
    });
    await waitFor(() => expect(calls.some((c) => c.url === '/api/accounts/users/me/')).toBe(true));
  });

  it('shows a refusal when self-service changes are disabled', async () => {
    const user = userEvent.setup();
    api(() => json({ detail: '이 서버에서는 요금제를 직접 변경할 수 없습니다. 관리자에게 문의하세요.' }, 403));
    render();
    await user.click(await screen.findByRole('button', { name: '업그레이드: 프로 (180일)' }));
    await user.click(screen.getByRole('button', { name: '변경하기' }));
    const alert = await screen.findByText(/관리자에게 문의하세요/);
    expect(alert.closest('[role="alert"]')).not.toBeNull();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('cancels to free with DELETE', async () => {
    const user = userEvent.setup();
    const { calls } = api(() => json({ ...basic, tier: 'free', tier_display: 'Free (3일)', max_interval_days: 3 }));
    render();
    await user.click(await screen.findByRole('button', { name: '무료로 해지' }));
    await user.click(within(screen.getByRole('alertdialog')).getByRole('button', { name: '해지하기' }));
    expect(await screen.findByText('무료 요금제로 해지했습니다.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'DELETE')?.url).toBe('/api/accounts/subscriptions/me/');
  });
});
