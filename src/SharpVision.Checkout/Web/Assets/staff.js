'use strict';
// Staff page: one day's orders from /api/orders (signed-in only), cash confirmation and voids (with the anti-forgery
// token from /api/staff/session), CSV export link.
(() => {
  const $ = id => document.getElementById(id);
  const session = { csrf: null };

  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); return td; }

  function fail(message) { $('error').textContent = message; $('error').hidden = false; }

  async function api(url, options) {
    const response = await fetch(url, options);
    if (response.status === 401) { location.assign('/staff/sign-in'); throw new Error('signed out'); }
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(body.error || response.status);
    return body;
  }

  async function post(url, body) {
    return api(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-TOKEN': session.csrf }, body: JSON.stringify(body || {}) });
  }

  async function start() {
    try {
      const me = await api('/api/staff/session');
      session.csrf = me.csrfToken;
      $('staff-name').textContent = 'Signed in: ' + me.name;
      await load();
    } catch (e) {
      fail('Could not open the staff session: ' + e.message);
    }
  }

  async function load() {
    // Empty = the server's 'today' (the café's business day, which the server decides).
    const date = $('date').value || 'today';
    $('error').hidden = true;
    try {
      const report = await api('/api/orders?date=' + encodeURIComponent(date));
      $('date').value = report.date;
      $('export').href = '/api/orders/export.csv?date=' + encodeURIComponent(report.date);
      const money = a => new Intl.NumberFormat('hu-HU', { style: 'currency', currency: report.currency, maximumFractionDigits: report.currency === 'HUF' ? 0 : 2 }).format(a);
      $('order-count').textContent = report.orderCount;
      $('item-count').textContent = report.itemCount;
      $('day-total').textContent = money(report.total);
      $('awaiting-count').textContent = report.awaitingPayment;
      $('void-summary').textContent = `${report.voided.count} (${money(report.voided.total)})`;
      const products = $('products'); products.replaceChildren();
      for (const p of report.products) { const tr = document.createElement('tr'); cell(tr, p.name); cell(tr, p.quantity, 'num'); cell(tr, money(p.revenue), 'num'); products.appendChild(tr); }
      const orders = $('orders'); orders.replaceChildren();
      for (const o of report.orders.slice().reverse()) {
        const tr = document.createElement('tr');
        tr.dataset.id = o.id;
        tr.dataset.status = o.status;
        cell(tr, o.id);
        cell(tr, new Date(o.createdAt).toLocaleTimeString('en-GB'));
        cell(tr, o.items.map(i => `${i.quantity} × ${i.name}`).join(', '));
        cell(tr, money(o.total), 'num');
        const status = o.status === 'paid' ? `paid (${o.payment.method}, ${o.payment.by})`
          : o.status === 'voided' ? `voided by ${o.void.by}: ${o.void.reason}` : 'awaiting payment';
        cell(tr, status, 'status-' + o.status);
        const actions = cell(tr, '');
        if (o.status === 'created') actions.appendChild(button('Confirm cash', 'confirm-cash', () => post(`/api/orders/${o.id}/confirm-cash`)));
        if (o.status !== 'voided') actions.appendChild(button('Void', 'void', async () => {
          const reason = prompt(`Why void order #${o.id}?`);
          if (reason) await post(`/api/orders/${o.id}/void`, { reason });
        }));
        orders.appendChild(tr);
      }
    } catch (e) {
      fail('Could not load the orders: ' + e.message);
    }
  }

  function button(text, cls, action) {
    const b = document.createElement('button');
    b.type = 'button'; b.className = 'btn secondary ' + cls; b.textContent = text;
    b.addEventListener('click', async () => {
      b.disabled = true;
      try { await action(); } catch (e) { fail(e.message); }
      await load();
    });
    return b;
  }

  $('sign-out').addEventListener('click', async () => {
    try { await api('/api/staff/sign-out', { method: 'POST', headers: { 'X-CSRF-TOKEN': session.csrf } }); } catch (e) { /* signed out anyway */ }
    location.assign('/staff/sign-in');
  });
  $('date').addEventListener('change', load);
  $('refresh').addEventListener('click', load);
  start();
  setInterval(load, 30000);
})();
