// The first script of every page load: index.html loads this file blocking, in <head>. A file, not
// an inline script, so the Content-Security-Policy needs no 'unsafe-inline' or hash for scripts.
//
// 1. Theme and language before first paint (no flash). Same rules as src/theme/theme.ts and
//    src/i18n/core.ts; keep them in step.
// 2. The session restore's refresh request starts here, while the app's code downloads, instead of
//    after that code has run: src/api/client.ts takes this answer for the page's first refresh
//    (takeBootRefresh) and handles it as its own. Same request as client.ts sends.
// 3. The code of the page being opened starts downloading beside the app's entry, not after it has
//    run: the build writes the table of route patterns, their files and their API calls into
//    index.html (scripts/route-preloads.ts); the most specific pattern matching the address wins,
//    '*' last.
// 4. Once the refresh has a token, the route's API GETs (src/bootGets.ts: users/me/ always, the
//    dashboard's five calls on /dashboard) are made too; the client answers the app's first
//    identical calls from them (takeBootGet).
// Every answer is read to the end here, so that the app finds it whole as soon as its code runs.
(function () {
  var d = document.documentElement;
  var lang = 'ko';
  try {
    var t = localStorage.getItem('resee.theme');
    if (t !== 'light' && t !== 'dark') {
      t = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
    }
    d.setAttribute('data-theme', t);
    lang = localStorage.getItem('resee.lang') === 'en' ? 'en' : 'ko';
    d.lang = lang;
  } catch (e) {}

  var route = null;
  var table = document.getElementById('resee-routes');
  if (table) {
    try {
      route = find(JSON.parse(table.textContent), location.pathname);
    } catch (e) {}
  }

  if (typeof fetch === 'function') {
    var headers = { Accept: 'application/json', 'Accept-Language': lang };
    var refresh = read(fetch('/api/auth/token/refresh/', { method: 'POST', credentials: 'same-origin', headers: headers }));
    window.__reseeBootRefresh = refresh;
    var gets = route ? route[2] : [];
    if (gets.length) {
      var token = refresh.then(function (answer) {
        if (answer.status !== 200) return null;
        var access = JSON.parse(answer.text).access;
        return typeof access === 'string' ? access : null;
      });
      window.__reseeBootGets = {};
      for (var i = 0; i < gets.length; i++) window.__reseeBootGets[gets[i]] = get(gets[i], token);
    }
  }

  if (route) for (var j = 0; j < route[1].length; j++) preload(route[1][j]);

  // The answer as { status, retryAfter, text }. The app reports a failure when it takes the
  // promise: no unhandled rejection before that.
  function read(response) {
    var answer = response.then(function (res) {
      return res.text().then(function (text) {
        return { status: res.status, retryAfter: res.headers.get('Retry-After'), text: text };
      });
    });
    answer.catch(function () {});
    return answer;
  }

  // A GET with the early token (null without a session), sent as client.ts sends it.
  function get(url, token) {
    var answer = token.then(function (access) {
      if (!access) return null;
      var withToken = { Authorization: 'Bearer ' + access };
      for (var name in headers) withToken[name] = headers[name];
      return read(fetch(url, { method: 'GET', credentials: 'same-origin', headers: withToken }));
    });
    answer.catch(function () {});
    return answer;
  }

  function preload(href) {
    var link = document.createElement('link');
    if (/\.css$/.test(href)) {
      link.rel = 'preload';
      link.setAttribute('as', 'style');
    } else {
      link.rel = 'modulepreload';
    }
    // As Vite's own preloads, so that the page's import uses these downloads.
    link.crossOrigin = '';
    link.href = href;
    document.head.appendChild(link);
  }

  // The table entry of the route the address opens, or null. Static segments count: 'contents/new'
  // wins over 'contents/:id'; '*' only when nothing else does.
  function find(routes, pathname) {
    var parts = pathname.split('/').filter(Boolean);
    var best = null;
    var bestScore = -1;
    for (var i = 0; i < routes.length; i++) {
      var score = match(routes[i][0], parts);
      if (score > bestScore) {
        best = routes[i];
        bestScore = score;
      }
    }
    return best;
  }

  // -1: no match; otherwise the number of static segments matched ('*' matches anything with 0).
  function match(pattern, parts) {
    if (pattern === '*') return 0;
    var segments = pattern.split('/').filter(Boolean);
    if (segments.length !== parts.length) return -1;
    var score = 0;
    for (var i = 0; i < segments.length; i++) {
      if (segments[i].charAt(0) === ':') continue;
      if (segments[i] !== parts[i]) return -1;
      score++;
    }
    return score;
  }
})();
