'use strict';
// Customer till: photo → /api/classify → basket → /api/orders → receipt. No framework, no CDN.
(() => {
  const $ = id => document.getElementById(id);
  const state = { products: new Map(), currency: 'HUF', basket: new Map(), lastAdded: null, stream: null, busy: false, order: null, poll: 0, cardPayment: false };

  const money = amount => new Intl.NumberFormat('hu-HU', {
    style: 'currency', currency: state.currency, maximumFractionDigits: state.currency === 'HUF' ? 0 : 2,
  }).format(amount);

  function show(id, visible) { $(id).hidden = !visible; }
  function showError(message) { $('error').textContent = message; show('error', !!message); }

  async function init() {
    try {
      const [catalogue, model] = await Promise.all([fetch('/api/catalogue').then(r => r.json()), fetch('/api/model').then(r => r.json())]);
      state.currency = catalogue.currency;
      state.cardPayment = !!catalogue.cardPayment;
      for (const p of catalogue.products) state.products.set(p.class, p);
      $('model-info').textContent = `Recogniser: ${model.name}`;
    } catch (e) {
      $('model-info').textContent = 'Till offline';
      showError('The till cannot reach its server. Please call staff.');
    }
    renderBasket();
  }

  // ---- camera ----
  async function startCamera() {
    showError('');
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      showError('This device has no camera access here; please upload a photo instead.');
      return;
    }
    try {
      state.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 1280 } }, audio: false });
      const video = $('camera');
      video.srcObject = state.stream;
      await video.play();
      show('camera', true); show('preview', false); show('placeholder', false);
      show('camera-start', false); show('camera-capture', true);
    } catch (e) {
      showError('Could not open the camera (' + e.name + '). You can upload a photo instead.');
    }
  }

  function stopCamera() {
    if (state.stream) state.stream.getTracks().forEach(t => t.stop());
    state.stream = null;
    show('camera', false); show('camera-capture', false); show('camera-start', true);
  }

  function capture() {
    const video = $('camera'), canvas = $('snapshot');
    canvas.width = video.videoWidth || 640;
    canvas.height = video.videoHeight || 480;
    canvas.getContext('2d').drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(blob => { stopCamera(); if (blob) classify(blob, 'camera.jpg'); }, 'image/jpeg', 0.9);
  }

  // ---- recognition ----
  async function classify(blob, name) {
    if (state.busy) return;
    state.busy = true;
    showError(''); show('result', false); show('choices', false); show('staff-called', false);
    const preview = $('preview');
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(blob);
    show('preview', true); show('placeholder', false); show('busy', true);
    try {
      const form = new FormData();
      form.append('image', blob, name);
      const response = await fetch('/api/classify', { method: 'POST', body: form });
      const body = await response.json().catch(() => ({ error: `unexpected reply (${response.status})` }));
      if (!response.ok) { showError(friendlyError(response.status, body.error)); return; }
      handleResult(body);
    } catch (e) {
      showError('The till could not reach its server. Please try again or call staff.');
    } finally {
      show('busy', false);
      state.busy = false;
    }
  }

  function friendlyError(status, detail) {
    if (status === 413) return 'That photo is too large. ' + (detail || '');
    if (status === 415) return 'Please use a JPEG, PNG or WebP photo. ' + (detail || '');
    if (status === 422) return detail || 'We could not read that photo — please take another one.';
    return detail || `Something went wrong (${status}).`;
  }

  function handleResult(result) {
    if (result.known === false) {
      // Open-set rejection: not one of our products, so offer the whole menu instead of the model's guesses.
      showChoices([...state.products.values()].map(product => ({ product, probability: null })),
        'I don\u2019t recognise this', 'I don\u2019t recognise this \u2014 please choose from the menu or call staff.');
      return;
    }
    if (result.needsConfirmation) {
      showChoices(result.predictions);
      return;
    }
    const best = result.best;
    add(best.product.class);
    $('result').classList.remove('unsure');
    $('result-label').textContent = 'Recognised';
    $('result-name').textContent = best.product.name;
    $('result-price').textContent = money(best.product.price);
    setConfidence(best.probability);
    $('result-note').textContent = '✓ Added to your basket';
    state.lastPredictions = result.predictions;
    show('not-right', result.predictions.length > 1);
    show('result', true);
  }

  function setConfidence(p) {
    const pct = Math.round(p * 100);
    $('confidence-fill').style.width = pct + '%';
    $('result-confidence').textContent = `${pct}% sure`;
  }

  function showChoices(predictions, title, hint) {
    $('choices-title').textContent = title || 'Which one is it?';
    $('choices-hint').textContent = hint || "We're not sure enough to guess. Tap your item:";
    $('choices').classList.toggle('unknown', !!title);
    const list = $('choice-list');
    list.replaceChildren();
    for (const p of title ? predictions : predictions.slice(0, 3)) {
      if (!p.product) continue;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'btn choice';
      b.dataset.class = p.product.class;
      b.innerHTML = '<span class="c-name"></span><span class="c-meta"></span>';
      b.querySelector('.c-name').textContent = p.product.name;
      b.querySelector('.c-meta').textContent = p.probability === null
        ? money(p.product.price) : `${money(p.product.price)} · ${Math.round(p.probability * 100)}%`;
      b.addEventListener('click', () => {
        add(p.product.class);
        show('choices', false);
        $('result').classList.add('unsure');
        $('result-label').textContent = 'You chose';
        $('result-name').textContent = p.product.name;
        $('result-price').textContent = money(p.product.price);
        if (p.probability === null) { $('confidence-fill').style.width = '0%'; $('result-confidence').textContent = 'chosen from the menu'; }
        else setConfidence(p.probability);
        $('result-note').textContent = '✓ Added to your basket';
        show('not-right', false);
        show('result', true);
      });
      list.appendChild(b);
    }
    show('choices', true);
  }

  function notRight() {
    // Undo the automatic add and let the customer pick among the alternatives.
    if (state.lastAdded) change(state.lastAdded, -1);
    state.lastAdded = null;
    show('result', false);
    showChoices(state.lastPredictions || []);
  }

  // ---- basket ----
  function add(cls) { change(cls, +1); state.lastAdded = cls; }

  function change(cls, delta) {
    const q = (state.basket.get(cls) || 0) + delta;
    if (q <= 0) state.basket.delete(cls); else state.basket.set(cls, Math.min(q, 99));
    renderBasket();
  }

  function total() {
    let t = 0;
    for (const [cls, q] of state.basket) t += state.products.get(cls).price * q;
    return t;
  }

  function renderBasket() {
    const list = $('basket');
    list.replaceChildren();
    for (const [cls, q] of state.basket) {
      const p = state.products.get(cls);
      const li = document.createElement('li');
      li.dataset.class = cls;
      li.innerHTML = `<div><div class="b-name"></div><div class="b-unit"></div></div>
        <div class="qty"><button type="button" class="minus" aria-label="One less">−</button><span></span><button type="button" class="plus" aria-label="One more">+</button></div>
        <div class="b-line"></div>`;
      li.querySelector('.b-name').textContent = p.name;
      li.querySelector('.b-unit').textContent = money(p.price) + ' each';
      li.querySelector('.qty span').textContent = q;
      li.querySelector('.b-line').textContent = money(p.price * q);
      li.querySelector('.minus').addEventListener('click', () => change(cls, -1));
      li.querySelector('.plus').addEventListener('click', () => change(cls, +1));
      const remove = document.createElement('button');
      remove.type = 'button'; remove.className = 'remove'; remove.textContent = '×';
      remove.setAttribute('aria-label', 'Remove ' + p.name);
      remove.addEventListener('click', () => { state.basket.delete(cls); renderBasket(); });
      li.querySelector('.qty').appendChild(remove);
      list.appendChild(li);
    }
    show('basket-empty', state.basket.size === 0);
    $('total').textContent = money(total());
    $('pay').disabled = state.basket.size === 0;
  }

  // Pay places the order; it becomes paid only through a payment step: the card terminal (when the till has one) or
  // staff confirming cash at the counter. The page polls its own receipt (with the receipt code) until then.
  async function pay() {
    const button = $('pay');
    button.disabled = true;
    showError('');
    try {
      const items = [...state.basket].map(([cls, quantity]) => ({ class: cls, quantity }));
      const response = await fetch('/api/orders', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ items }) });
      const body = await response.json().catch(() => ({}));
      if (response.status !== 201) { showError(body.error || `The order could not be placed (${response.status}). Please call staff.`); return; }
      state.order = { id: body.id, code: body.receiptCode };
      showAwaiting(body);
    } catch (e) {
      showError('The order could not be sent. Please call staff.');
    } finally {
      button.disabled = state.basket.size === 0;
    }
  }

  function showAwaiting(order) {
    $('awaiting-number').textContent = '#' + order.id;
    $('awaiting-total').textContent = money(order.total);
    show('pay-card', state.cardPayment);
    show('awaiting-error', false);
    show('awaiting', true);
    clearTimeout(state.poll);
    state.poll = setTimeout(checkPayment, 1500);
  }

  async function fetchOrder() {
    const response = await fetch('/api/orders/' + state.order.id, { headers: { 'X-Receipt-Code': state.order.code } });
    return response.ok ? response.json() : null;
  }

  async function checkPayment() {
    if (!state.order) return;
    try {
      const order = await fetchOrder();
      if (order && settle(order)) return;
    } catch (e) { /* offline for a moment: keep waiting */ }
    state.poll = setTimeout(checkPayment, 1500);
  }

  // True when the order left "created": paid → receipt; voided → say so.
  function settle(order) {
    if (order.status === 'paid') { show('awaiting', false); showReceipt(order); return true; }
    if (order.status === 'voided') {
      $('awaiting-error').textContent = 'This order was cancelled by staff.';
      show('awaiting-error', true); show('pay-card', false);
      return true;
    }
    return false;
  }

  async function payByCard() {
    $('pay-card').disabled = true;
    show('awaiting-error', false);
    try {
      const response = await fetch(`/api/orders/${state.order.id}/pay`, { method: 'POST', headers: { 'X-Receipt-Code': state.order.code } });
      const body = await response.json().catch(() => ({}));
      if (response.ok) { clearTimeout(state.poll); settle(body); return; }
      $('awaiting-error').textContent = body.error || `Card payment failed (${response.status}); please pay at the counter.`;
      show('awaiting-error', true);
    } catch (e) {
      $('awaiting-error').textContent = 'The card terminal could not be reached; please pay at the counter.';
      show('awaiting-error', true);
    } finally {
      $('pay-card').disabled = false;
    }
  }

  function showReceipt(order) {
    const business = order.business || {};
    $('receipt-business').textContent = [business.name, business.address].filter(Boolean).join(' · ');
    const tax = [];
    if (business.taxId) tax.push('Tax no. ' + business.taxId);
    if (business.vatRatePercent != null && business.vatIncluded != null) tax.push(`incl. ${business.vatRatePercent}% VAT ${money(business.vatIncluded)}`);
    $('receipt-tax').textContent = tax.join(' · ');
    $('receipt-payment').textContent = order.payment ? 'Paid: ' + order.payment.method : '';
    $('receipt-number').textContent = '#' + order.id;
    $('receipt-time').textContent = new Date(order.createdAt).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
    const rows = $('receipt-items');
    rows.replaceChildren();
    for (const line of order.items) {
      const tr = document.createElement('tr');
      tr.innerHTML = '<td></td><td></td>';
      tr.children[0].textContent = `${line.quantity} × ${line.name}`;
      tr.children[1].textContent = money(line.lineTotal);
      rows.appendChild(tr);
    }
    $('receipt-total').textContent = money(order.total);
    show('receipt', true);
    $('new-order').focus();
  }

  function newOrder() {
    clearTimeout(state.poll);
    state.order = null;
    show('awaiting', false);
    state.basket.clear();
    state.lastAdded = null;
    renderBasket();
    show('receipt', false); show('result', false); show('choices', false); show('staff-called', false); showError('');
    show('preview', false); show('placeholder', true);
  }

  $('camera-start').addEventListener('click', startCamera);
  $('camera-capture').addEventListener('click', capture);
  $('file-input').addEventListener('change', e => {
    const file = e.target.files && e.target.files[0];
    if (file) classify(file, file.name);
    e.target.value = '';
  });
  $('not-right').addEventListener('click', notRight);
  $('call-staff').addEventListener('click', () => { show('choices', false); show('staff-called', true); });
  $('pay').addEventListener('click', pay);
  $('new-order').addEventListener('click', newOrder);
  $('pay-card').addEventListener('click', payByCard);
  $('awaiting-cancel').addEventListener('click', newOrder);
  init();
})();
