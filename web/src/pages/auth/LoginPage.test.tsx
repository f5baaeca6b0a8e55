import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { getAccessToken } from '../../api/client';
import { json, mockFetch } from '../../test/fetch';
import { renderPage, testUser } from '../../test/render';
import { setLang } from '../../i18n/core';
import LoginPage from './LoginPage';

async function fill(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText(/이메일|Email/), email);
  if (password) await user.type(screen.getByLabelText(/비밀번호|Password/), password);
  await user.click(screen.getByRole('button', { name: /로그인|Sign in/ }));
}

describe('LoginPage', () => {
  it('shows validation errors on the fields without calling the API', async () => {
    const { calls } = mockFetch(() => json({}));
    renderPage(<LoginPage />, { path: '/login' });
    await fill('not-an-email', '');
    const email = screen.getByLabelText(/이메일/);
    expect(await screen.findByText('올바른 이메일 주소를 입력해 주세요.')).toBeInTheDocument();
    expect(screen.getByText('필수 항목입니다.')).toBeInTheDocument();
    expect(email).toHaveAttribute('aria-invalid', 'true');
    expect(email.getAttribute('aria-describedby')).toMatch(/error/);
    expect(calls).toHaveLength(0);
  });

  it('shows validation messages in English when English is selected', async () => {
    setLang('en');
    mockFetch(() => json({}));
    renderPage(<LoginPage />, { path: '/login' });
    await fill('', '');
    expect(await screen.findAllByText('This field is required.')).toHaveLength(2);
  });

  it("shows the server's non_field_errors", async () => {
    mockFetch(() => json({ non_field_errors: ['이메일 또는 비밀번호가 올바르지 않습니다.'] }, 400));
    renderPage(<LoginPage />, { path: '/login' });
    await fill('me@example.com', 'wrong-password');
    const message = await screen.findByText('이메일 또는 비밀번호가 올바르지 않습니다.');
    expect(message).toHaveAttribute('role', 'alert'); // the form's root error, announced
  });

  it('signs in and navigates to ?next=', async () => {
    const { calls } = mockFetch(({ url }) =>
      url === '/api/auth/token/' ? json({ access: 'acc' }) : json(testUser),
    );
    renderPage(<LoginPage />, { path: '/login?next=%2Freview' });
    await fill('me@example.com', 'correct-horse');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/review'));
    expect(calls[0]).toMatchObject({ url: '/api/auth/token/', body: { email: 'me@example.com', password: 'correct-horse' } });
    expect(calls[1]?.url).toBe('/api/accounts/users/me/');
    expect(calls[1]?.headers.authorization).toBe('Bearer acc');
    expect(getAccessToken()).toBe('acc');
  });

  it('goes to the dashboard without (or with an unsafe) next', async () => {
    mockFetch(({ url }) => (url === '/api/auth/token/' ? json({ access: 'acc' }) : json(testUser)));
    renderPage(<LoginPage />, { path: '/login?next=https%3A%2F%2Fevil.example' });
    await fill('me@example.com', 'correct-horse');
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/dashboard'));
  });

  it('sends an unverified account to the verification-pending page', async () => {
    mockFetch(() =>
      json({ email_verification_required: ['True'], email: ['new@example.com'], message: ['verify first'] }, 400),
    );
    renderPage(<LoginPage />, { path: '/login' });
    await fill('new@example.com', 'correct-horse');
    await waitFor(() =>
      expect(screen.getByTestId('location')).toHaveTextContent('/verify-pending?email=new%40example.com'),
    );
  });
});
