// The console in a real browser: Debian's Chromium driven by playwright-core. Run by
// scripts/browser-test.sh, which starts the packaged service; this script needs only its URL.
//
//   node console-test.mjs --base http://localhost:8081 --screenshots ../../../target/browser-screenshots
//
// A new user signs up and in, creates an account and a destination (a loopback receiver this
// script serves), posts an event with the account's CL-X-TOKEN, watches the log appear in the live
// list without reloading, opens it and redelivers it; a normal member then sees no admin action,
// and the server refuses the admin forms they send anyway.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs, []));
const base = (args.base || process.env.CONSOLE_URL || 'http://localhost:8080').replace(/\/$/, '');
const shots = args.screenshots || 'target/browser-screenshots';
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const password = 'correct horse battery';
const run = Date.now().toString(36);
const adminEmail = `admin-${run}@example.com`;
const normalEmail = `normal-${run}@example.com`;
const eventId = `order-${run}`;
mkdirSync(shots, { recursive: true });

// --- a destination on loopback that answers 200 and counts what came
const received = [];
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => { received.push({ method: req.method, url: req.url, headers: req.headers, body }); res.end('ok'); });
});
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/hooks/shop`;

let step = 0;
async function shot(page, name) {
  step += 1;
  const file = path.join(shots, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

/** Every visible form control has a label (WCAG 1.3.1 / 4.1.2), on every page we pass. */
async function everyControlIsLabelled(page) {
  const unlabelled = await page.$$eval('input:not([type=hidden]), select, textarea', (controls) => controls
    .filter((c) => c.labels.length === 0 && !c.getAttribute('aria-label'))
    .map((c) => c.outerHTML));
  assert.deepEqual(unlabelled, [], `unlabelled controls on ${page.url()}`);
}

async function check(name, fn) {
  process.stdout.write(`- ${name}\n`);
  await fn();
}

const browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
let failed = false;
try {
  const admin = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  let accountUrl;
  let logUrl;
  let appToken;

  await check('a visitor is sent to sign in, and signs up', async () => {
    await admin.goto(`${base}/console`);
    assert.match(admin.url(), /\/console\/signin$/);
    await everyControlIsLabelled(admin);
    await shot(admin, 'signin');
    await admin.getByRole('link', { name: 'Sign up' }).click();
    await admin.getByLabel('Email').fill(adminEmail);
    await admin.getByLabel('Password').fill(password);
    await everyControlIsLabelled(admin);
    await shot(admin, 'signup');
    await admin.getByRole('button', { name: 'Sign up' }).click();
    await admin.getByText('Your user was created').waitFor();
  });

  await check('signs in with the keyboard, and the session cookie is HttpOnly, Secure, SameSite=Strict', async () => {
    await admin.getByLabel('Email').fill(adminEmail);
    await admin.getByLabel('Password').fill(password);
    await admin.getByLabel('Password').press('Enter');
    await admin.waitForURL(/\/console\/accounts$/);
    const session = (await admin.context().cookies()).find((c) => c.name === 'dp_session');
    assert.ok(session, 'session cookie');
    assert.equal(session.httpOnly, true);
    assert.equal(session.secure, true);
    assert.equal(session.sameSite, 'Strict');
    assert.equal(session.path, '/console');
    assert.equal(await admin.evaluate(() => document.cookie.includes('dp_session')), false, 'not readable by scripts');
  });

  await check('creates an account and sees its token', async () => {
    await admin.getByLabel('Name', { exact: true }).fill('Acme Shop');
    await admin.getByLabel('Website (optional, http or https)').fill('https://shop.example.com');
    await everyControlIsLabelled(admin);
    await shot(admin, 'accounts');
    await admin.getByRole('button', { name: 'Create account' }).click();
    await admin.getByText('Account created. You are its admin.').waitFor();
    accountUrl = admin.url().replace(/\?.*$/, '');
    appToken = (await admin.locator('#app-token').textContent()).trim();
    assert.ok(appToken.length > 20, 'token shown to the admin');
    await everyControlIsLabelled(admin);
    await shot(admin, 'account');
  });

  await check('adds a destination', async () => {
    await admin.getByRole('link', { name: 'Destinations' }).click();
    await admin.getByLabel('URL').fill(receiverUrl);
    await admin.getByLabel('Method').selectOption('POST');
    await admin.getByLabel(/Headers/).fill('X-App: shop');
    await everyControlIsLabelled(admin);
    await admin.getByRole('button', { name: 'Add destination' }).click();
    await admin.getByText('Destination created.').waitFor();
    await shot(admin, 'destination');
  });

  await check('an event posted with CL-X-TOKEN appears in the live list without a reload', async () => {
    await admin.goto(`${accountUrl}/logs`);
    await everyControlIsLabelled(admin);
    const answer = await fetch(`${base}/server/incoming_data`, {
      method: 'POST',
      headers: { 'CL-X-TOKEN': appToken, 'CL-X-EVENT-ID': eventId, 'Content-Type': 'application/json' },
      body: JSON.stringify({ order: 1001, total: '19.90' }),
    });
    assert.equal(answer.status, 202);
    const row = admin.locator('#log-list tr', { hasText: eventId });
    await row.locator('.status.success').waitFor({ timeout: 30000 });
    assert.equal(received.length, 1);
    assert.equal(received[0].headers['x-app'], 'shop');
    assert.equal(received[0].headers['webhook-id'], eventId);
    await shot(admin, 'logs');
  });

  await check('opens the log: the request sent and the answer; redelivers it', async () => {
    await admin.locator('#log-list tr', { hasText: eventId }).getByRole('link').click();
    logUrl = admin.url();
    const request = await admin.locator('#request').textContent();
    assert.ok(request.includes(`POST ${receiverUrl}`), request);
    assert.ok(request.includes('X-App: shop'));
    assert.ok(request.includes('"order":1001'));
    assert.equal((await admin.locator('#response-status').textContent()).trim(), '200');
    await shot(admin, 'log');
    await admin.getByRole('button', { name: 'Redeliver' }).click();
    await admin.getByText('Redelivery scheduled').waitFor();
    for (let i = 0; i < 30 && (await admin.locator('#log-attempts').textContent()).trim() !== '2'; i += 1) {
      await admin.waitForTimeout(1000);
      await admin.reload();
    }
    assert.equal((await admin.locator('#log-attempts').textContent()).trim(), '2');
    assert.equal((await admin.locator('#log-status').textContent()).trim(), 'success');
    assert.equal(received.length, 2, 'the receiver got it twice');
    await shot(admin, 'log-redelivered');
    await admin.getByRole('link', { name: 'Delivery logs' }).click();
    await admin.locator('svg.chart rect').first().waitFor();
    await shot(admin, 'logs-chart');
  });

  await check('adds a normal member', async () => {
    await admin.goto(`${accountUrl}/members`);
    await admin.getByLabel('Email').fill(normalEmail);
    await admin.getByLabel('Role', { exact: true }).selectOption('normal');
    await admin.getByLabel(/Password for a new user/).fill(password);
    await admin.getByRole('button', { name: 'Add member' }).click();
    await admin.getByText('Member added.').waitFor();
    await everyControlIsLabelled(admin);
    await shot(admin, 'members');
  });

  const normal = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  await check('a normal member sees no admin action', async () => {
    await normal.goto(`${base}/console/signin`);
    await normal.getByLabel('Email').fill(normalEmail);
    await normal.getByLabel('Password').fill(password);
    await normal.getByRole('button', { name: 'Sign in' }).click();
    await normal.waitForURL(/\/console\/accounts$/);
    await normal.getByRole('link', { name: 'Acme Shop' }).click();
    assert.equal(await normal.getByRole('button', { name: 'Rotate token' }).count(), 0);
    assert.equal(await normal.getByRole('button', { name: 'Delete account' }).count(), 0);
    assert.equal(await normal.locator('#app-token').count(), 0);
    assert.ok(!(await normal.content()).includes(appToken), 'no token in the page');
    await shot(normal, 'normal-account');
    await normal.getByRole('link', { name: 'Destinations' }).click();
    assert.equal(await normal.getByRole('button', { name: /Delete/ }).count(), 0);
    assert.equal(await normal.getByRole('button', { name: 'Add destination' }).count(), 0);
    await normal.getByRole('link', { name: 'Members' }).click();
    assert.equal(await normal.getByRole('button', { name: /Remove|Change role|Add member/ }).count(), 0);
    await normal.goto(logUrl);
    assert.equal(await normal.getByRole('button', { name: 'Redeliver' }).count(), 0);
    await shot(normal, 'normal-log');
  });

  await check('admin forms forged by the normal member are refused by the server', async () => {
    // a real form token of the member's own session: only the role is wrong
    const formToken = await normal.locator('input[name=form_token]').first().inputValue();
    const accountId = accountUrl.split('/').pop();
    const logId = logUrl.split('/').pop();
    for (const action of [`/console/accounts/${accountId}/logs/${logId}/redeliver`,
      `/console/accounts/${accountId}/token`, `/console/accounts/${accountId}/delete`]) {
      const answer = await normal.request.post(`${base}${action}`, { form: { form_token: formToken }, maxRedirects: 0 });
      assert.equal(answer.status(), 403, action);
    }
    // and without the token, the form is refused before any role is looked at
    const tokenless = await normal.request.post(`${base}/console/accounts/${accountId}`, { form: { name: 'x' }, maxRedirects: 0 });
    assert.equal(tokenless.status(), 403);
    await admin.goto(accountUrl);
    assert.equal((await admin.locator('#app-token').textContent()).trim(), appToken, 'token unchanged');
    assert.equal((await admin.locator('#name').inputValue()), 'Acme Shop', 'name unchanged');
    assert.equal(received.length, 2, 'no third delivery');
  });

  await check('signs out', async () => {
    await admin.getByRole('button', { name: 'Sign out' }).click();
    await admin.getByText('You are signed out.').waitFor();
    await admin.goto(`${accountUrl}/logs`);
    assert.match(admin.url(), /\/console\/signin$/);
  });
  console.log('browser test passed');
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await browser.close();
  receiver.close();
}
process.exit(failed ? 1 : 0);
