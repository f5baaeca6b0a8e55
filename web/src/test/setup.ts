import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { resetClientForTests } from '../api/client';
import { resetAuthBootstrapForTests } from '../auth/AuthProvider';
import { initLang } from '../i18n/core';
import { resetOutboxForTests } from '../offline/outbox';

// findBy…/waitFor wait up to 5 s (not 1 s): a machine busy with a build must not fail a test.
configure({ asyncUtilTimeout: 5000 });

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
