function onTokenNeeded() {
  document.getElementById('rows').replaceChildren();
}
// only web links become clickable; anything else a gateway claims (javascript:, data:, ...) stays text
function webUrl(text) {
  try { const u = new URL(text); return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null; }
  catch (e) { return null; }
}
function cell(tr, text, cls) { const td = tr.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; }
function num(x, digits) { return typeof x === 'number' ? x.toFixed(digits) : '?'; }
function count(x) { return typeof x === 'number' ? x.toLocaleString('en') : '—'; }
function bytes(x) {
  if (typeof x !== 'number') return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB']; let i = 0;
  while (x >= 1000 && i < units.length - 1) { x /= 1000; i++; }
  return (i ? x.toFixed(1) : String(x)) + ' ' + units[i];
}
// the page shown: filters and the cursor it starts after ('' for the first page), kept in the address
const view = {q: '', status: 'any', profile: '', after: '', next: null};
function fromAddress() {
  const p = new URLSearchParams(location.search);
  view.q = p.get('q') || ''; view.status = p.get('status') || 'any'; view.profile = p.get('profile') || '';
  view.after = p.get('after') || '';
  document.getElementById('q').value = view.q;
  document.getElementById('status').value = view.status;
  document.getElementById('profile').value = view.profile;
}
function go() {
  const p = new URLSearchParams();
  if (view.q) p.set('q', view.q);
  if (view.status !== 'any') p.set('status', view.status);
  if (view.profile) p.set('profile', view.profile);
  if (view.after) p.set('after', view.after);
  history.pushState(null, '', location.pathname + (p.toString() ? '?' + p.toString() : ''));
  refresh();
}
window.addEventListener('popstate', () => { fromAddress(); refresh(); });
document.getElementById('search').addEventListener('submit', ev => {
  ev.preventDefault();
  view.q = document.getElementById('q').value.trim();
  view.status = document.getElementById('status').value;
  view.profile = document.getElementById('profile').value.trim();
  view.after = '';
  go();
});
document.getElementById('first').addEventListener('click', () => { view.after = ''; go(); });
document.getElementById('next').addEventListener('click', () => { if (view.next) { view.after = view.next; go(); } });
function pageUrl() {
  const p = new URLSearchParams({status: view.status, limit: '100'});
  if (view.q) p.set('q', view.q);
  if (view.profile) p.set('profile', view.profile);
  if (view.after) p.set('after', view.after);
  return '/api/gateways?' + p.toString();
}
async function refresh() {
  const t = token();
  if (!t) {
    // keep saying why (e.g. "wrong token") until the operator gives one
    if (document.getElementById('auth').hidden) askForToken('token-needed', tokenNeededText());
    return;
  }
  try {
    const r = await fetch(pageUrl(), {cache: 'no-store', headers: {'Authorization': 'Bearer ' + t}});
    if (r.status === 401) {
      tokenRefused();
      return;
    }
    if (!r.ok) throw new Error('status ' + r.status);
    document.getElementById('auth').hidden = true;
    const f = await r.json();
    view.next = f.next;
    document.getElementById('next').disabled = !f.next;
    document.getElementById('summary').textContent = count(f.total) + ' gateways, ' + count(f.online) + ' online' +
      (view.q || view.profile || view.status !== 'any' ? ' (filtered)' : '') +
      (f.connected ? '' : ' (platform not connected to its broker)');
    document.getElementById('page').textContent = f.gateways.length ? 'showing ' + f.gateways[0].deviceId + ' to ' +
      f.gateways[f.gateways.length - 1].deviceId + (view.after ? ' (after ' + view.after + ')' : '') : '';
    const rows = document.getElementById('rows');
    rows.replaceChildren();
    for (const g of f.gateways) {
      const tr = rows.insertRow();
      tr.dataset.gateway = String(g.deviceId);
      const s = g.summary || {};
      const link = document.createElement('a');
      link.href = '/gateway.html?id=' + encodeURIComponent(String(g.deviceId));
      link.textContent = String(g.deviceId);
      tr.insertCell().appendChild(link);
      cell(tr, g.online ? 'online' : 'offline', g.online ? 'online' : 'offline');
      cell(tr, String(g.profile ?? ''));
      cell(tr, g.location ? num(g.location.latitude, 5) + ', ' + num(g.location.longitude, 5) : '—');
      cell(tr, count(s.policyGeneration), 'num');
      cell(tr, bytes(s.bytesSaved), 'num');
      cell(tr, count(s.listeners), 'num');
      cell(tr, new Date(g.lastSeen).toLocaleString());
      const td = tr.insertCell();
      if (g.portalUrl) {
        const href = webUrl(String(g.portalUrl));
        if (href) { const a = document.createElement('a'); a.href = href; a.rel = 'noopener noreferrer'; a.textContent = href; td.appendChild(a); }
        else { td.textContent = String(g.portalUrl); td.className = 'muted'; }
      }
    }
    if (f.gateways.length === 0) {
      const tr = rows.insertRow(); const td = cell(tr, 'No gateway on this page.', 'muted'); td.colSpan = 9;
    }
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = 'Platform not reachable: ' + e.message;
  }
}
fromAddress();
refresh();
setInterval(refresh, 10000);
