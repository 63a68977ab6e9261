'use strict';
// Staff page: one day's orders and totals from /api/orders, CSV export link.
(() => {
  const $ = id => document.getElementById(id);

  function cell(tr, text, cls) { const td = document.createElement('td'); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }

  async function load() {
    // Empty = the server's 'today' (the café's business day, which the server decides).
    const date = $('date').value || 'today';
    $('export').href = '/api/orders/export.csv?date=' + encodeURIComponent(date);
    $('error').hidden = true;
    try {
      const response = await fetch('/api/orders?date=' + encodeURIComponent(date));
      const report = await response.json();
      if (!response.ok) throw new Error(report.error || response.status);
      $('date').value = report.date;
      $('export').href = '/api/orders/export.csv?date=' + encodeURIComponent(report.date);
      const money = a => new Intl.NumberFormat('hu-HU', { style: 'currency', currency: report.currency, maximumFractionDigits: report.currency === 'HUF' ? 0 : 2 }).format(a);
      $('order-count').textContent = report.orderCount;
      $('item-count').textContent = report.itemCount;
      $('day-total').textContent = money(report.total);
      const products = $('products'); products.replaceChildren();
      for (const p of report.products) { const tr = document.createElement('tr'); cell(tr, p.name); cell(tr, p.quantity, 'num'); cell(tr, money(p.revenue), 'num'); products.appendChild(tr); }
      const orders = $('orders'); orders.replaceChildren();
      for (const o of report.orders.slice().reverse()) {
        const tr = document.createElement('tr');
        cell(tr, o.id);
        cell(tr, new Date(o.createdAt).toLocaleTimeString('en-GB'));
        cell(tr, o.items.map(i => `${i.quantity} × ${i.name}`).join(', '));
        cell(tr, money(o.total), 'num');
        orders.appendChild(tr);
      }
    } catch (e) {
      $('error').textContent = 'Could not load the orders: ' + e.message;
      $('error').hidden = false;
    }
  }

  $('date').addEventListener('change', load);
  $('refresh').addEventListener('click', load);
  load();
  setInterval(load, 30000);
})();
