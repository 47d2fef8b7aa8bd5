// One gateway's page: facts, last report, recent reports, nearby list, policy and its history, commands.
const id = new URLSearchParams(location.search).get('id') || '';
function onTokenNeeded() { document.getElementById('content').hidden = true; }
// every value from the platform goes into the page as text, never as markup
function row(tbody, cells, numeric) {
  const tr = tbody.insertRow();
  cells.forEach((text, i) => {
    const td = tr.insertCell(); td.textContent = text == null ? '—' : String(text);
    if (numeric && numeric.includes(i)) td.className = 'num';
  });
  return tr;
}
function fact(name, value, cls) {
  const tr = row(document.getElementById('facts'), [name, value]);
  if (cls) tr.cells[1].className = cls;
}
function when(t) { return t ? new Date(t).toLocaleString() : '—'; }
// GET (or another method) on this gateway's resource; null once the token was refused
async function api(method, sub) {
  const init = {method, cache: 'no-store', headers: {'Authorization': 'Bearer ' + token()}};
  if (method === 'POST') { init.headers['Content-Type'] = 'application/json'; init.body = '{}'; }
  const r = await fetch('/api/gateways/' + encodeURIComponent(id) + (sub ? '/' + sub : ''), init);
  if (r.status === 401) { tokenRefused(); return null; }
  return r;
}
// the history page shown: null for the newest, else the cursor it starts before
let historyBefore = null, historyNext = null;
async function refresh() {
  document.getElementById('title').textContent = 'Gateway ' + id;
  if (!token()) {
    if (document.getElementById('auth').hidden) askForToken('token-needed', tokenNeededText());
    return;
  }
  try {
    const r = await api('GET');
    if (!r) return;
    document.getElementById('auth').hidden = true;
    if (r.status === 404) {
      document.getElementById('summary').textContent = 'No gateway ' + id + ' (unknown or decommissioned).';
      document.getElementById('content').hidden = true;
      return;
    }
    if (!r.ok) throw new Error('status ' + r.status);
    const d = await r.json();
    const g = d.gateway, s = d.summary || {};
    document.getElementById('summary').textContent = (g.online ? 'online' : 'offline') + ', last seen ' +
      new Date(g.lastSeen).toLocaleString();
    document.getElementById('facts').replaceChildren();
    fact('Status', g.online ? 'online' : 'offline', g.online ? 'online' : 'offline');
    fact('Profile', g.profile);
    fact('Group', g.group || '—');
    fact('Model / firmware', (g.model || '—') + ' / ' + (g.firmware || '—'));
    fact('Location', g.location ? g.location.latitude.toFixed(5) + ', ' + g.location.longitude.toFixed(5) : '—');
    fact('Portal', g.portalUrl || '—');
    fact('Birth sequence', g.birthSeq);
    fact('Catalog revision', g.catalogRev < 0 ? 'none' : g.catalogRev);
    fact('Bytes saved', s.bytesSaved);
    fact('Listeners', s.listeners);
    const report = document.getElementById('report');
    report.replaceChildren();
    if (d.lastReport) {
      document.getElementById('report-at').textContent = 'Received ' + new Date(d.lastReport.receivedAt).toLocaleString();
      const sources = (d.lastReport.report && d.lastReport.report.sources) || {};
      for (const [name, src] of Object.entries(sources).slice(0, 64)) {
        for (const [metric, value] of Object.entries((src && src.metrics) || {}).slice(0, 64)) {
          row(report, [name, metric, value], [2]);
        }
      }
    } else {
      document.getElementById('report-at').textContent = 'No report yet.';
    }
    const nearby = document.getElementById('nearby');
    nearby.replaceChildren();
    for (const n of d.nearby || []) row(nearby, [n.deviceId, n.name, n.distanceM, (n.contentIds || []).length], [2, 3]);
    if (!(d.nearby || []).length) row(nearby, ['No sharer in range (or no list sent yet).']);
    const policy = document.getElementById('policy');
    policy.replaceChildren();
    const pm = (d.lastReport && d.lastReport.report && d.lastReport.report.sources && d.lastReport.report.sources.policy
      && d.lastReport.report.sources.policy.metrics) || {};
    row(policy, ['Generation running', s.policyGeneration ?? 'none (the profile\u2019s own values)']);
    for (const k of ['generation.last.offered', 'applied', 'rejected', 'reverted']) row(policy, [k, pm[k]]);
    showRebirth(d.fullReportAskedAt, d.lastReport ? d.lastReport.receivedAt : null);
    await Promise.all([showHistory(), policyHistory()]);
    document.getElementById('content').hidden = false;
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = 'Platform not reachable: ' + e.message;
  }
}
async function showHistory() {
  const r = await api('GET', 'reports?limit=20' + (historyBefore ? '&before=' + historyBefore : ''));
  if (!r || !r.ok) return;
  const h = await r.json();
  const body = document.getElementById('history');
  body.replaceChildren();
  for (const e of h.reports || []) {
    const s = e.summary || {};
    row(body, [when(e.receivedAt), s.bytesSaved, s.listeners, s.policyGeneration], [1, 2, 3]).dataset.report = e.receivedAt;
  }
  if (!(h.reports || []).length) row(body, ['No report kept yet.']);
  historyNext = h.next;
  document.getElementById('history-more').hidden = !historyNext;
}
async function policyHistory() {
  const r = await api('GET', 'policies?limit=20');
  if (!r || !r.ok) return;
  const p = await r.json();
  const body = document.getElementById('policy-history');
  body.replaceChildren();
  for (const e of p.policies || []) {
    row(body, [e.rolloutId, e.generation, e.rolloutState, e.state, e.detail || '', when(e.at)], [0, 1]);
  }
  if (!(p.policies || []).length) row(body, ['No rollout targeted this gateway yet.']);
}
// the last full-report ask (any operator's, on this node) and whether the answer (a report after it) arrived
function showRebirth(askedAt, lastReportAt) {
  const el = document.getElementById('rebirth-state');
  if (!askedAt) { el.dataset.state = 'idle'; el.textContent = ''; return; }
  const answered = lastReportAt && Date.parse(lastReportAt) >= Date.parse(askedAt);
  el.dataset.state = answered ? 'answered' : 'waiting';
  el.textContent = 'Full report asked at ' + when(askedAt) + (answered
    ? '; the answer arrived at ' + when(lastReportAt) + '.' : '; waiting for the gateway\u2019s answer…');
}
document.getElementById('history-more').addEventListener('click', () => {
  if (historyNext) { historyBefore = historyNext; showHistory(); }
});
document.getElementById('rebirth').addEventListener('click', async () => {
  const r = await api('POST', 'rebirth');
  if (!r) return;
  if (r.status !== 202) {
    const el = document.getElementById('rebirth-state');
    el.dataset.state = 'refused'; el.textContent = 'Refused: status ' + r.status;
    return;
  }
  historyBefore = null;
  pollForAnswer(Date.now() + 60000);
});
// the answer usually comes within a second: look every second for a minute, then at the normal pace
async function pollForAnswer(until) {
  await refresh();
  const el = document.getElementById('rebirth-state');
  if (el.dataset.state === 'waiting' && Date.now() < until) setTimeout(() => pollForAnswer(until), 1000);
}
document.getElementById('decommission').addEventListener('click', async () => {
  if (!confirm('Decommission ' + id + '?')) return;
  const r = await api('DELETE');
  if (!r) return;
  document.getElementById('command-result').textContent = r.ok ? id + ' decommissioned.' : 'Refused: status ' + r.status;
  refresh();
});
refresh();
setInterval(refresh, 10000);
