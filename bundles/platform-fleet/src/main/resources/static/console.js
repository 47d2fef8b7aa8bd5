// Shared by every console page (loaded before the page's own script): the operator token, kept in this
// browser tab only, and the form that asks for it. A page names what the token shows in <body data-subject>
// and may define onTokenNeeded() to clear what it showed; it defines refresh(), called once a token is given.
const TOKEN_KEY = 'edgeshare.operator.token';
// a console link may carry the token once in its fragment (never sent to the server); keep it for this tab only
if (location.hash.startsWith('#token=')) {
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(location.hash.substring(7)));
  history.replaceState(null, '', location.pathname + location.search);
}
function token() { return sessionStorage.getItem(TOKEN_KEY) || ''; }
function tokenNeededText() {
  return 'Token needed: paste the operator token to see ' + (document.body.dataset.subject || 'this page') + '.';
}
function askForToken(state, text) {
  const s = document.getElementById('auth-state');
  s.dataset.state = state;
  s.textContent = text;
  document.getElementById('auth').hidden = false;
  document.getElementById('summary').textContent = 'Operator token needed';
  if (typeof onTokenNeeded === 'function') onTokenNeeded();
}
// the platform refused the token: forget it and ask again
function tokenRefused() {
  sessionStorage.removeItem(TOKEN_KEY);
  askForToken('token-wrong', 'Wrong token: the platform refused it. Paste the operator token again.');
}
document.getElementById('auth').addEventListener('submit', ev => {
  ev.preventDefault();
  const t = document.getElementById('token').value.trim();
  if (t) { sessionStorage.setItem(TOKEN_KEY, t); document.getElementById('token').value = ''; refresh(); }
});
const forgetButton = document.getElementById('forget');
if (forgetButton) {
  forgetButton.addEventListener('click', () => {
    sessionStorage.removeItem(TOKEN_KEY);
    askForToken('token-needed', tokenNeededText());
  });
}
