import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import ProfilePage from './ProfilePage';

const render = () => renderPage(<ProfilePage />, { path: '/profile', initialUser: testUser });

describe('ProfilePage', () => {
  it('shows the account and saves username and weekly goal, then refreshes the user', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch(({ url, method }) => {
      if (url === '/api/accounts/profile/' && method === 'PUT')
        return json({ email: testUser.email, username: 'neo', is_email_verified: true, weekly_goal: 12 });
      if (url === '/api/accounts/users/me/') return json({ ...testUser, username: 'neo', weekly_goal: 12 });
      return json(testUser);
    });
    render();
    expect(await screen.findByText('me@example.com')).toBeInTheDocument();
    expect(screen.getByText('인증됨')).toBeInTheDocument();
    const goal = screen.getByLabelText(/주간 복습 목표/);
    expect(goal).toHaveValue(7);
    await user.type(screen.getByLabelText('사용자 이름'), 'neo');
    await user.clear(goal);
    await user.type(goal, '12');
    await user.click(screen.getByRole('button', { name: '저장' }));
    await waitFor(() => expect(calls.some((c) => c.url === '/api/accounts/users/me/')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ username: 'neo', weekly_goal: 12 });
    expect(await screen.findByText('프로필을 저장했습니다.')).toBeInTheDocument();
  });

  it('checks the weekly goal before sending', async () => {
    const user = userEvent.setup();
    const { calls } = mockFetch(() => json(testUser));
    render();
    const goal = await screen.findByLabelText(/주간 복습 목표/);
    await user.clear(goal);
    await user.type(goal, '101');
    await user.click(screen.getByRole('button', { name: '저장' }));
    expect(await screen.findByText('주간 목표는 1~100 사이의 정수여야 합니다.')).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
  });

  it('maps VALIDATION_ERROR details onto the fields', async () => {
    const user = userEvent.setup();
    mockFetch(({ method }) =>
      method === 'PUT'
        ? json(
            {
              error: {
                code: 'VALIDATION_ERROR',
                message: '입력값을 확인해 주세요.',
                details: { username: ['이미 사용 중인 사용자 이름입니다.'], weekly_goal: ['주간 목표는 1에서 100 사이여야 합니다.'] },
              },
            },
            400,
          )
        : json(testUser),
    );
    render();
    await user.type(await screen.findByLabelText('사용자 이름'), 'taken');
    await user.click(screen.getByRole('button', { name: '저장' }));
    expect(await screen.findByText('이미 사용 중인 사용자 이름입니다.')).toBeInTheDocument();
    expect(screen.getByText('주간 목표는 1에서 100 사이여야 합니다.')).toBeInTheDocument();
    expect(screen.getByLabelText('사용자 이름')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('사용자 이름')).toHaveFocus();
  });
});
