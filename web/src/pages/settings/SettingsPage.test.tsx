import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getLang } from '../../i18n/core';
import { getTheme } from '../../theme/theme';
import { json, mockFetch, type Call } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import SettingsPage from './SettingsPage';

const PREFS = {
  email_notifications_enabled: true,
  daily_reminder_enabled: true,
  daily_reminder_time: '09:00:00',
  timezone: 'Asia/Seoul',
  language: 'ko',
};

function api(overrides: (call: Call) => Response | null = () => null) {
  return mockFetch((call) => {
    const answer = overrides(call);
    if (answer) return answer;
    if (call.url === '/api/accounts/notification-preferences/')
      return json(call.method === 'PUT' ? { ...PREFS, ...(call.body as object) } : PREFS);
    if (call.url === '/api/auth/logout/') return json({ message: 'bye' });
    return json({}, 404);
  });
}

const render = () => renderPage(<SettingsPage />, { path: '/settings', initialUser: testUser });

describe('SettingsPage', () => {
  it('saves notification preferences with the time as HH:MM:SS and the time zone', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    const time = await screen.findByLabelText('알림 시각');
    expect(time).toHaveValue('09:00');
    await user.click(screen.getByRole('switch', { name: '매일 복습 알림' }));
    await user.clear(time);
    await user.type(time, '21:30');
    await user.selectOptions(screen.getByLabelText('시간대'), 'Europe/Paris');
    await user.selectOptions(screen.getByLabelText('메일 언어'), 'en');
    await user.click(within(screen.getByRole('region', { name: '알림 설정' })).getByRole('button', { name: '저장' }));
    expect(await screen.findByText('알림 설정을 저장했습니다.')).toBeInTheDocument();
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      email_notifications_enabled: true,
      daily_reminder_enabled: false,
      daily_reminder_time: '21:30:00',
      timezone: 'Europe/Paris',
      language: 'en',
    });
  });

  it('switches the UI language and theme, and can set the email language to match', async () => {
    const user = userEvent.setup();
    const { calls } = api();
    render();
    await user.click(screen.getByRole('radio', { name: 'English' }));
    expect(getLang()).toBe('en');
    expect(await screen.findByRole('heading', { level: 1, name: 'Settings' })).toBeInTheDocument();
    await user.click(await screen.findByRole('button', { name: 'Send my emails in English too' }));
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ language: 'en' }));
    await user.click(screen.getByRole('radio', { name: 'Dark' }));
    expect(getTheme().pref).toBe('dark');
    expect(localStorage.getItem('resee.theme')).toBe('dark');
  });

  it('changes the password, then signs out to /login', async () => {
    const user = userEvent.setup();
    const { calls } = api(({ url }) =>
      url === '/api/accounts/users/me/password/' ? json({ message: 'changed', action_required: 'relogin' }) : null,
    );
    render();
    await user.type(screen.getByLabelText(/^현재 비밀번호/), 'old-password');
    await user.type(screen.getByLabelText(/^새 비밀번호 \*?$/), 'new-passphrase');
    await user.type(screen.getByLabelText(/^새 비밀번호 확인/), 'new-passphrase');
    await user.click(screen.getByRole('button', { name: '비밀번호 변경' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/login'));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      current_password: 'old-password',
      new_password: 'new-passphrase',
      new_password_confirm: 'new-passphrase',
    });
    expect(calls.some((c) => c.url === '/api/auth/logout/')).toBe(true);
    expect(screen.getByText('비밀번호를 바꿨습니다. 새 비밀번호로 다시 로그인해 주세요.')).toBeInTheDocument();
  });

  it('shows a wrong current password on its field', async () => {
    const user = userEvent.setup();
    api(({ url }) =>
      url === '/api/accounts/users/me/password/'
        ? json({ current_password: ['현재 비밀번호가 올바르지 않습니다.'] }, 400)
        : null,
    );
    render();
    await user.type(screen.getByLabelText(/^현재 비밀번호/), 'wrong');
    await user.type(screen.getByLabelText(/^새 비밀번호 \*?$/), 'new-passphrase');
    await user.type(screen.getByLabelText(/^새 비밀번호 확인/), 'new-passphrase');
    await user.click(screen.getByRole('button', { name: '비밀번호 변경' }));
    expect(await screen.findByText('현재 비밀번호가 올바르지 않습니다.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^현재 비밀번호/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('deletes the account only after the password and typing DELETE', async () => {
    const user = userEvent.setup();
    const { calls } = api(({ url, method }) =>
      url === '/api/accounts/users/me/' && method === 'DELETE' ? json({ message: 'deleted' }) : null,
    );
    render();
    await user.click(screen.getByRole('button', { name: '계정 삭제…' }));
    const dialog = screen.getByRole('alertdialog', { name: '계정을 삭제할까요?' });
    const submit = within(dialog).getByRole('button', { name: '영구 삭제' });
    expect(submit).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/^비밀번호/), 'my-password');
    await user.type(within(dialog).getByLabelText(/DELETE 를 입력하세요/), 'delete');
    expect(submit).toBeDisabled(); // case matters
    await user.clear(within(dialog).getByLabelText(/DELETE 를 입력하세요/));
    await user.type(within(dialog).getByLabelText(/DELETE 를 입력하세요/), 'DELETE');
    expect(submit).toBeEnabled();
    await user.click(submit);
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent(/^\/$/));
    expect(calls.find((c) => c.method === 'DELETE')).toMatchObject({
      url: '/api/accounts/users/me/',
      body: { password: 'my-password', confirmation: 'DELETE' },
    });
  });
});
