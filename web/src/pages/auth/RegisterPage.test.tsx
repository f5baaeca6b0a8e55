import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import RegisterPage from './RegisterPage';

async function fill(email: string, password: string, confirm: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText(/^이메일/), email);
  if (password) await user.type(screen.getByLabelText(/^비밀번호 \*?$/), password);
  if (confirm) await user.type(screen.getByLabelText(/^비밀번호 확인/), confirm);
  await user.click(screen.getByRole('button', { name: '가입하기' }));
}

describe('RegisterPage', () => {
  it('applies the API password rules before sending', async () => {
    const { calls } = mockFetch(() => json({}));
    renderPage(<RegisterPage />, { path: '/register' });
    await fill('me@example.com', '1234567', '1234567');
    expect(await screen.findByText('비밀번호는 8자 이상이어야 합니다.')).toBeInTheDocument();
    expect(calls).toHaveLength(0);
  });

  it('rejects an all-digit password and a mismatched confirmation', async () => {
    mockFetch(() => json({}));
    renderPage(<RegisterPage />, { path: '/register' });
    await fill('me@example.com', '12345678', '12345679');
    expect(await screen.findByText('비밀번호는 숫자로만 이루어질 수 없습니다.')).toBeInTheDocument();
    expect(screen.getByText('비밀번호가 일치하지 않습니다.')).toBeInTheDocument();
  });

  it('puts VALIDATION_ERROR details from the API on the same fields', async () => {
    mockFetch(() =>
      json(
        {
          error: {
            code: 'VALIDATION_ERROR',
            message: '입력값을 확인해 주세요.',
            details: { email: ['이미 사용 중인 이메일입니다.'], password: ['너무 흔한 비밀번호입니다.'] },
          },
        },
        400,
      ),
    );
    renderPage(<RegisterPage />, { path: '/register' });
    await fill('taken@example.com', 'password1', 'password1');
    expect(await screen.findByText('이미 사용 중인 이메일입니다.')).toBeInTheDocument();
    expect(screen.getByText('너무 흔한 비밀번호입니다.')).toBeInTheDocument();
    expect(screen.getByLabelText(/^이메일/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('goes to /verify-pending when the account must verify its email', async () => {
    const { calls } = mockFetch(() =>
      json(
        { success: true, message: 'ok', data: { user: { ...testUser, is_email_verified: false }, requires_email_verification: true } },
        201,
      ),
    );
    renderPage(<RegisterPage />, { path: '/register' });
    await fill('me@example.com', 'a-good-passphrase', 'a-good-passphrase');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/verify-pending?email=me%40example.com'),
    );
    expect(calls[0]).toMatchObject({
      url: '/api/accounts/users/register/',
      method: 'POST',
      body: { email: 'me@example.com', password: 'a-good-passphrase', password_confirm: 'a-good-passphrase' },
    });
    expect(calls[0]?.headers.authorization).toBeUndefined();
  });

  it('signs straight in when verification is not required', async () => {
    const { calls } = mockFetch(({ url }) => {
      if (url === '/api/accounts/users/register/')
        return json({ success: true, message: 'ok', data: { user: testUser, requires_email_verification: false } }, 201);
      if (url === '/api/auth/token/') return json({ access: 'acc' });
      return json(testUser);
    });
    renderPage(<RegisterPage />, { path: '/register' });
    await fill('me@example.com', 'a-good-passphrase', 'a-good-passphrase');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/dashboard'));
    expect(calls.map((c) => c.url)).toEqual(['/api/accounts/users/register/', '/api/auth/token/', '/api/accounts/users/me/']);
  });
});
