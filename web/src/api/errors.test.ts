import { describe, expect, it, vi } from 'vitest';
import { setLang } from '../i18n/core';
import { ApiError } from './client';
import { applyApiErrors, errorMessage, parseApiErrorBody } from './errors';

describe('parseApiErrorBody', () => {
  it('reads DRF-style field errors and non_field_errors', () => {
    expect(parseApiErrorBody({ title: ['too long'], non_field_errors: ['nope'] })).toMatchObject({
      fields: { title: ['too long'] },
      general: ['nope'],
    });
  });

  it('reads the VALIDATION_ERROR envelope', () => {
    const parsed = parseApiErrorBody({
      error: { code: 'VALIDATION_ERROR', message: 'Invalid input', details: { email: ['taken'] } },
    });
    expect(parsed).toMatchObject({ code: 'VALIDATION_ERROR', fields: { email: ['taken'] }, general: [] });
  });

  it('keeps the summary when VALIDATION_ERROR has no details', () => {
    expect(parseApiErrorBody({ error: { code: 'VALIDATION_ERROR', message: 'Invalid' } }).general).toEqual(['Invalid']);
  });

  it('reads {"error": "msg"}, {"detail": "msg"} and the 402 body', () => {
    expect(parseApiErrorBody({ error: 'bad token' }).general).toEqual(['bad token']);
    expect(parseApiErrorBody({ detail: 'Not found.', code: 'token_not_valid' })).toMatchObject({
      general: ['Not found.'],
      code: 'token_not_valid',
    });
    const usage = { current: 3, limit: 3, remaining: 0, percentage: 100, can_create: false, tier: 'free' };
    expect(parseApiErrorBody({ error: 'Limit reached', usage, message: 'Upgrade' })).toMatchObject({
      general: ['Limit reached', 'Upgrade'],
      usage,
      fields: {},
    });
  });

  it('ignores non-object bodies', () => {
    expect(parseApiErrorBody('<html>')).toEqual({ fields: {}, general: [], code: null, usage: null });
    expect(parseApiErrorBody(null).general).toEqual([]);
  });
});

describe('applyApiErrors', () => {
  type Form = { email: string; password: string };

  it('puts field errors on fields and the rest on root.server', () => {
    const setError = vi.fn();
    const error = new ApiError(400, { email: ['invalid'], non_field_errors: ['Wrong credentials'] });
    expect(applyApiErrors<Form>(error, setError)).toBe(true);
    expect(setError).toHaveBeenCalledWith('email', { type: 'server', message: 'invalid' }, { shouldFocus: true });
    expect(setError).toHaveBeenCalledWith('root.server', { type: 'server', message: 'Wrong credentials' });
  });

  it('maps VALIDATION_ERROR details onto the same fields', () => {
    const setError = vi.fn();
    const error = new ApiError(400, {
      error: { code: 'VALIDATION_ERROR', message: 'x', details: { password: ['too common', 'too short'] } },
    });
    applyApiErrors<Form>(error, setError, { fields: ['email', 'password'] });
    expect(setError).toHaveBeenCalledWith('password', { type: 'server', message: 'too common too short' }, { shouldFocus: true });
    expect(setError).toHaveBeenCalledTimes(1);
  });

  it('sends errors of keys that are not form fields to root', () => {
    const setError = vi.fn();
    applyApiErrors<Form>(new ApiError(400, { category: ['gone'] }), setError, { fields: ['email', 'password'] });
    expect(setError).toHaveBeenCalledWith('root.server', { type: 'server', message: 'gone' });
  });

  it('renames API keys onto form fields', () => {
    const setError = vi.fn();
    applyApiErrors<Form>(new ApiError(400, { new_password: ['weak'] }), setError, { rename: { new_password: 'password' } });
    expect(setError).toHaveBeenCalledWith('password', { type: 'server', message: 'weak' }, { shouldFocus: true });
  });

  it('uses {"error"} / {"detail"} as the root message', () => {
    const setError = vi.fn();
    applyApiErrors<Form>(new ApiError(400, { error: 'Token expired' }), setError);
    expect(setError).toHaveBeenCalledWith('root.server', { type: 'server', message: 'Token expired' });
  });

  it('explains 429 with the wait, in the current language', () => {
    const setError = vi.fn();
    applyApiErrors<Form>(new ApiError(429, { detail: 'Throttled' }, 30), setError);
    expect(setError).toHaveBeenCalledWith('root.server', { type: 'server', message: '요청이 너무 많습니다. 30초 후에 다시 시도해 주세요.' });
    setLang('en');
    applyApiErrors<Form>(new ApiError(429, { detail: 'Throttled' }, 30), setError);
    expect(setError).toHaveBeenLastCalledWith('root.server', { type: 'server', message: 'Too many requests. Try again in 30 seconds.' });
  });

  it('handles network, server and unknown errors on root', () => {
    setLang('en');
    const setError = vi.fn();
    applyApiErrors<Form>(new ApiError(0, null), setError);
    expect(setError).toHaveBeenLastCalledWith('root.server', { type: 'server', message: expect.stringMatching(/Cannot reach/) });
    applyApiErrors<Form>(new ApiError(500, { error: 'Internal server error', message: 'x' }), setError);
    expect(setError).toHaveBeenLastCalledWith('root.server', { type: 'server', message: expect.stringMatching(/server error/) });
    applyApiErrors<Form>(new Error('boom'), setError);
    expect(setError).toHaveBeenLastCalledWith('root.server', { type: 'server', message: expect.stringMatching(/could not be completed/) });
  });
});

describe('errorMessage', () => {
  it('prefers the API message, then a status-based one', () => {
    setLang('en');
    expect(errorMessage(new ApiError(402, { error: 'Limit reached', message: 'Upgrade to Pro' }))).toBe(
      'Limit reached Upgrade to Pro',
    );
    expect(errorMessage(new ApiError(404, null))).toBe('Not found.');
    expect(errorMessage(new ApiError(400, { title: ['Too long'] }))).toBe('Too long');
  });
});
