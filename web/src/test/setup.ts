import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetClientForTests } from '../api/client';
import { resetAuthBootstrapForTests } from '../auth/AuthProvider';
import { initLang } from '../i18n/core';
import { resetOutboxForTests } from '../offline/outbox';

// jsdom does not implement these.
window.scrollTo = () => {};
Element.prototype.scrollIntoView ??= () => {};

beforeEach(() => {
  localStorage.clear();
  sessionStorage.clear();
  initLang();
  resetClientForTests();
  resetAuthBootstrapForTests();
  resetOutboxForTests();
});

afterEach(() => {
  cleanup();
});
