'use strict';
// Staff sign-in: POST /api/staff/sign-in sets the session cookie, then the staff page opens (always /staff: no
// caller-chosen redirect).
(() => {
  const $ = id => document.getElementById(id);
  $('sign-in-form').addEventListener('submit', async e => {
    e.preventDefault();
    $('error').hidden = true;
    try {
      const response = await fetch('/api/staff/sign-in', {
        method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: $('name').value, password: $('password').value }),
      });
      if (response.ok) { location.assign('/staff'); return; }
      const body = await response.json().catch(() => ({}));
      $('error').textContent = body.error || `Sign-in failed (${response.status})`;
    } catch (err) {
      $('error').textContent = 'The till could not be reached.';
    }
    $('password').value = '';
    $('error').hidden = false;
  });
})();
