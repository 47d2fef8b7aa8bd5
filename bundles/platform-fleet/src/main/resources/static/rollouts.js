function onTokenNeeded() {
  document.getElementById('rows').replaceChildren();
}
// every value from the platform goes into the page as text, never as markup
function cell(tr, text, cls) { const td = tr.insertCell(); td.textContent = text; if (cls) td.className = cls; return td; }
async function api(method, path, body) {
  const t = token();
  if (!t) { askForToken('token-needed', tokenNeededText()); return null; }
  const init = {method, cache: 'no-store', headers: {'Authorization': 'Bearer ' + t}};
  if (method === 'POST') { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body || {}); }
  const r = await fetch(path, init);
  if (r.status === 401) {
    tokenRefused();
    return null;
  }
  const json = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(String(json.message || ('status ' + r.status)));
  document.getElementById('auth').hidden = true;
  return json;
}
const view = {before: '', next: null, detail: null, after: ''};
document.getElementById('first').addEventListener('click', () => { view.before = ''; refresh(); });
document.getElementById('next').addEventListener('click', () => { if (view.next) { view.before = String(view.next); refresh(); } });
document.getElementById('close').addEventListener('click', () => { view.detail = null; document.getElementById('detail').hidden = true; });
document.getElementById('outcomes-more').addEventListener('click', () => { if (view.after) showDetail(view.detail, view.after); });
async function act(id, action, question) {
  if (!confirm(question)) return;
  try {
    const body = action === 'rollback' && confirm('Roll back to no policy (the profile\'s own values)?\n' +
      'Cancel: to what this target had before.') ? {toGeneration: 0} : {};
    await api('POST', '/api/rollouts/' + encodeURIComponent(id) + '/' + action, body);
    document.getElementById('error').textContent = '';
  } catch (e) {
    document.getElementById('error').textContent = 'Rollout ' + id + ': ' + e.message;
  }
  refresh();
}
function button(td, label, handler) {
  const b = document.createElement('button'); b.type = 'button'; b.textContent = label;
  b.addEventListener('click', handler); td.appendChild(b);
}
async function refresh() {
  try {
    const p = new URLSearchParams({limit: '50'});
    if (view.before) p.set('before', view.before);
    const f = await api('GET', '/api/rollouts?' + p.toString());
    if (!f) return;
    view.next = f.nextBefore;
    document.getElementById('next').disabled = !f.nextBefore;
    const active = f.rollouts.filter(r => ['pending', 'canary', 'waves'].includes(r.state)).length;
    const halted = f.rollouts.filter(r => r.state === 'halted').length;
    document.getElementById('summary').textContent = f.rollouts.length + ' rollouts on this page, ' + active +
      ' in progress, ' + halted + ' halted';
    const rows = document.getElementById('rows');
    rows.replaceChildren();
    for (const r of f.rollouts) {
      const tr = rows.insertRow();
      const idCell = tr.insertCell();
      button(idCell, '#' + String(r.id), () => { view.detail = r.id; showDetail(r.id, ''); });
      cell(tr, String(r.generation) + (r.restores === 0 ? ' (no policy)' : typeof r.restores === 'number' ? ' (as ' + r.restores + ')' : ''));
      cell(tr, String(r.target.kind) + (r.target.value ? ' ' + String(r.target.value) : ''));
      cell(tr, String(r.state), 'state-' + String(r.state).replace(/[^a-z_]/g, ''));
      const stages = Array.isArray(r.stages) ? r.stages.map(Number) : [];
      cell(tr, stages.length ? (Number(r.stage) + 1) + ' of ' + stages.length + ' (' + Number(r.stagePercent) + ' %; ' + stages.join('/') + ')' : '—');
      const c = r.counts;
      const done = Number(c.total) ? Math.round(100 * (Number(c.total) - Number(c.pending)) / Number(c.total)) : 0;
      const pc = tr.insertCell();
      const bar = document.createElement('span'); bar.className = 'bar';
      const fill = document.createElement('span'); fill.style.width = done + '%'; bar.appendChild(fill);
      pc.appendChild(bar); pc.appendChild(document.createTextNode(' ' + done + ' % of ' + Number(c.total)));
      for (const k of ['applied', 'rejected', 'reverted', 'sent', 'pending']) cell(tr, String(Number(c[k])));
      cell(tr, String(r.note || ''), 'muted');
      const td = tr.insertCell();
      if (r.state === 'halted') button(td, 'Resume', () => act(r.id, 'resume', 'Resume rollout ' + r.id + '?'));
      if (['pending', 'canary', 'waves', 'halted'].includes(r.state)) button(td, 'Abort', () => act(r.id, 'abort', 'Abort rollout ' + r.id + '? No further stage is sent.'));
      if (r.state !== 'rolled_back') button(td, 'Roll back', () => act(r.id, 'rollback', 'Roll back every gateway rollout ' + r.id + ' reached?'));
    }
    if (f.rollouts.length === 0) { const td = cell(rows.insertRow(), 'No rollout yet.', 'muted'); td.colSpan = 13; }
    document.getElementById('error').textContent = '';
    if (view.detail && !view.after) showDetail(view.detail, '');
  } catch (e) {
    document.getElementById('error').textContent = 'Platform not reachable: ' + e.message;
  }
}
async function showDetail(id, after) {
  try {
    const p = new URLSearchParams({limit: '100'});
    if (after) p.set('after', after);
    const r = await api('GET', '/api/rollouts/' + encodeURIComponent(id) + '?' + p.toString());
    if (!r) return;
    view.after = r.nextAfter || '';
    document.getElementById('outcomes-more').disabled = !r.nextAfter;
    document.getElementById('detail-title').textContent = 'Rollout #' + String(r.id) + ': gateways' + (after ? ' after ' + after : '');
    const rows = document.getElementById('outcomes');
    rows.replaceChildren();
    for (const g of r.gateways) {
      const tr = rows.insertRow();
      cell(tr, String(g.deviceId)); cell(tr, String(g.state)); cell(tr, String(g.detail || ''), 'muted');
      cell(tr, new Date(g.at).toLocaleString());
    }
    document.getElementById('detail').hidden = false;
  } catch (e) {
    document.getElementById('error').textContent = 'Rollout ' + id + ': ' + e.message;
  }
}
refresh();
setInterval(refresh, 5000);
