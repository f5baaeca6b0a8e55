// Theme and language before first paint (no flash): index.html loads this file blocking, in
// <head>. Same rules as src/theme/theme.ts and src/i18n/core.ts; keep them in step. A file, not
// an inline script, so the Content-Security-Policy needs no 'unsafe-inline' or hash for scripts.
(function () {
  var d = document.documentElement;
  try {
    var t = localStorage.getItem('resee.theme');
    if (t !== 'light' && t !== 'dark') {
      t = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    d.setAttribute('data-theme', t);
    d.lang = localStorage.getItem('resee.lang') === 'en' ? 'en' : 'ko';
  } catch (e) {}
})();
