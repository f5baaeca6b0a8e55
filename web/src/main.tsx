import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { Providers } from './App';
import { queryClient } from './api/queryClient';
import { initLang } from './i18n/core';
import { startOutbox } from './offline/outbox';
import { routes } from './routes';
import { initTheme } from './theme/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';

initTheme();
initLang();
startOutbox();

const router = createBrowserRouter(routes);

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('#root is missing from index.html');

createRoot(rootElement).render(
  <StrictMode>
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>
  </StrictMode>,
);

// The service worker only in production builds (see public/sw.js and README "Service worker").
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch(() => undefined);
  });
}
