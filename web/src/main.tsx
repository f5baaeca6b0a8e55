import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { Providers } from './App';
import { queryClient } from './api/queryClient';
import { startSessionRestore } from './auth/AuthProvider';
import { getLang, initLang } from './i18n/core';
import { formatters } from './i18n/format';
import { startOutbox } from './offline/outbox';
import { prefetchDashboard } from './pages/dashboard/dashboardQueries';
import { routes } from './routes';
import { initTheme } from './theme/theme';
import './styles/tokens.css';
import './styles/base.css';
import './styles/components.css';

initTheme();
initLang();
startOutbox();

// The session restore starts now, not in the first render's effect: the refresh then runs while the
// page's code loads. A first page that is the dashboard asks for its data as soon as there is a
// token, beside the signed-in user (AuthProvider handles a failed restore).
startSessionRestore(() => {
  if (window.location.pathname === '/dashboard') prefetchDashboard(queryClient);
}).catch(() => undefined);

// A page load's first Intl object initialises ICU (tens of milliseconds): built in a task of its
// own while the first page waits for the network, not inside that page's first render.
setTimeout(() => formatters(getLang()).date(0), 0);

// Creating the router starts loading the first page's lazy route module.
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
