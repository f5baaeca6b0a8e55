import { useEffect, useId, useRef, useState } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigate, useNavigation } from 'react-router';
import { useAuth } from '../auth/context';
import { useCommon, useLang } from '../i18n/react';
import { isLang, type Lang } from '../i18n/core';
import { OfflineBanner } from '../offline/OfflineBanner';
import { isThemePref } from '../theme/theme';
import { useTheme } from '../theme/useTheme';
import { SkipLink } from './SkipLink';

/** Language and theme pickers (native selects: accessible and tiny). */
function Preferences() {
  const t = useCommon();
  const [lang, setLang] = useLang();
  const { pref, setPref } = useTheme();
  const langId = useId();
  const themeId = useId();
  return (
    <div className="prefs">
      <label htmlFor={langId} className="visually-hidden">
        {t('language')}
      </label>
      <select
        id={langId}
        className="input input--select input--compact"
        value={lang}
        onChange={(e) => isLang(e.target.value) && setLang(e.target.value as Lang)}
      >
        <option value="ko" lang="ko">{t('langKo')}</option>
        <option value="en" lang="en">{t('langEn')}</option>
      </select>
      <label htmlFor={themeId} className="visually-hidden">
        {t('theme')}
      </label>
      <select
        id={themeId}
        className="input input--select input--compact"
        value={pref}
        onChange={(e) => isThemePref(e.target.value) && setPref(e.target.value)}
      >
        <option value="system">{t('themeSystem')}</option>
        <option value="light">{t('themeLight')}</option>
        <option value="dark">{t('themeDark')}</option>
      </select>
    </div>
  );
}

function AccountMenu() {
  const t = useCommon();
  const { user, logout } = useAuth();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (!rootRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [open]);

  if (!user) return null;
  const close = () => setOpen(false);
  return (
    <div
      className="account"
      ref={rootRef}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && open) {
          setOpen(false);
          buttonRef.current?.focus();
        }
      }}
    >
      <button
        ref={buttonRef}
        type="button"
        className="account__button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        <span className="visually-hidden">{t('accountMenu')}: </span>
        <span className="account__name">{user.username || user.email}</span>
        <span aria-hidden="true">▾</span>
      </button>
      <ul id={listId} className="account__list" hidden={!open}>
        <li>
          <Link to="/profile" onClick={close}>
            {t('navProfile')}
          </Link>
        </li>
        <li>
          <Link to="/settings" onClick={close}>
            {t('navSettings')}
          </Link>
        </li>
        <li>
          <Link to="/subscription" onClick={close}>
            {t('navSubscription')}
          </Link>
        </li>
        {user.is_staff && (
          <li>
            <Link to="/admin" onClick={close}>
              {t('navAdmin')}
            </Link>
          </li>
        )}
        <li>
          <button
            type="button"
            onClick={async () => {
              close();
              await logout();
              navigate('/', { replace: true });
            }}
          >
            {t('navLogout')}
          </button>
        </li>
      </ul>
    </div>
  );
}

const PRIMARY_NAV = [
  { to: '/dashboard', key: 'navDashboard' },
  { to: '/contents', key: 'navContents' },
  { to: '/review', key: 'navReview' },
  { to: '/exams', key: 'navExams' },
  { to: '/categories', key: 'navCategories' },
] as const;

function Header() {
  const t = useCommon();
  const { status } = useAuth();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();

  // Close the small-screen menu after navigating.
  useEffect(() => setMenuOpen(false), [location.pathname]);

  const signedIn = status === 'signed-in';
  return (
    <header className="site-header">
      <div className="site-header__bar">
        <Link to={signedIn ? '/dashboard' : '/'} className="brand">
          {t('appName')}
        </Link>
        <button
          type="button"
          className="menu-toggle"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          onClick={() => setMenuOpen((o) => !o)}
        >
          <span aria-hidden="true" className="menu-toggle__icon" />
          <span className="visually-hidden">{menuOpen ? t('closeMenu') : t('openMenu')}</span>
        </button>
        <div
          id={menuId}
          className="site-menu"
          data-open={menuOpen}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setMenuOpen(false);
          }}
        >
          {signedIn && (
            <nav aria-label={t('navMain')}>
              <ul className="nav-list">
                {PRIMARY_NAV.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} className="nav-link">
                      {t(item.key)}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          <div className="site-menu__end">
            <Preferences />
            {signedIn ? (
              <AccountMenu />
            ) : status === 'signed-out' ? (
              <div className="auth-links">
                <Link to="/login" className="btn btn--ghost btn--sm">
                  {t('navLogin')}
                </Link>
                <Link to="/register" className="btn btn--primary btn--sm">
                  {t('navRegister')}
                </Link>
              </div>
            ) : null}
          </div>
        </div>
      </div>
    </header>
  );
}

/** After client-side navigation, move focus to the new page's <h1> (or <main>) for screen readers. */
function FocusOnNavigate() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const main = document.getElementById('main');
    const heading = main?.querySelector<HTMLElement>('[data-page-title]');
    (heading ?? main)?.focus({ preventScroll: true });
  }, [pathname]);
  return null;
}

/** A thin bar while the next route's code is loading. */
function NavigationProgress() {
  const navigation = useNavigation();
  return <div className="nav-progress" data-active={navigation.state !== 'idle'} aria-hidden="true" />;
}

/** The layout of every route: skip link, header, offline banner, <main id="main">. */
export function AppShell() {
  return (
    <>
      <SkipLink />
      <NavigationProgress />
      <Header />
      <OfflineBanner />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
      <ScrollRestoration />
      <FocusOnNavigate />
    </>
  );
}
