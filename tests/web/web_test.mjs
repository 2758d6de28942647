// The page `noticescan serve` answers at /, in a real browser: Debian's Chromium driven by
// Playwright. Starts the server on a free loopback port, uploads a phone photo and a PDF, checks
// that the numbers shown are the API's, copies one, downloads the JSON and the CSV (the CSV must
// equal `noticescan scan --format csv`), shows an error for a file that is not a notice and a
// plain-words warning for a blurred photo, works from the keyboard and on a phone-sized screen, and
// asks nothing of any other site. Screenshots go to OUT_DIR.
//
// Usage: node web_test.mjs NOTICESCAN SAMPLES_DIR OUT_DIR
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import assert from 'node:assert/strict';
import { chromium, request } from 'playwright-core';

const [cliArg, samples, outDir] = process.argv.slice(2);
if (!cliArg || !samples || !outDir) {
  console.error('usage: node web_test.mjs NOTICESCAN SAMPLES_DIR OUT_DIR');
  process.exit(2);
}
const cli = resolve(cliArg);
mkdirSync(outDir, { recursive: true });
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const photo = join(samples, 'photo-perspective-shadow.jpg');
const pdf = join(samples, 'receipt-digital.pdf');
const KIND_NAMES = { receipt_number: 'Receipt number', a_number: 'A-number',
  online_account_number: 'USCIS online account number' };

/** Starts `noticescan serve` on a free port; resolves with [process, base URL]. */
function startServer() {
  const server = spawn(cli, ['serve', '--port', '0', '--jobs', '2'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${log}`)), 20000);
    server.stderr.on('data', (chunk) => {
      log += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve([server, match[1]]);
      }
    });
    server.on('exit', (code) => reject(new Error(`the server exited (${code}):\n${log}`)));
  });
}

/** What the API answers for a file, uploaded the way the page uploads it (multipart, field "file"). */
async function apiResult(base, path) {
  const api = await request.newContext();
  const answer = await api.post(`${base}/v1/scan`, {
    multipart: { file: { name: basename(path), mimeType: 'application/octet-stream', buffer: readFileSync(path) } },
  });
  assert.equal(answer.status(), 200, `the API refused ${path}: HTTP ${answer.status()} ${await answer.text()}`);
  const result = await answer.json();
  await api.dispose();
  return result;
}

/** Waits until `count` documents on the page have an answer. */
async function waitForDone(page, count) {
  await page.waitForFunction((n) => document.querySelectorAll('article.doc[data-state="done"]').length >= n,
    count, { timeout: 120000 });
}

/** The fields as the page shows them in document card `index`. */
async function shownFields(page, index) {
  const card = page.locator('article.doc').nth(index);
  const found = card.locator('ol[aria-label="Numbers found"]');
  const values = await found.locator('.field .value').allTextContents();
  const kinds = await found.locator('.field .kind').allTextContents();
  return values.map((value, i) => ({ kind: kinds[i], value }));
}

const [server, base] = await startServer();
const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox'] });
const elsewhere = [];
/** Records every request of `context` that goes anywhere but this server (there must be none). */
function watchRequests(context) {
  context.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(base) && !url.startsWith('data:') && !url.startsWith('blob:')) elsewhere.push(url);
  });
}
try {
  // ---- Desktop ----
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  await desktop.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  watchRequests(desktop);
  const page = await desktop.newPage();
  const consoleErrors = [];
  page.on('console', (message) => {
    // Chromium logs every HTTP error answer; the 415 for the text file below is expected.
    if (message.type() === 'error' && !/status of 415/.test(message.text())) consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(String(error)));
  await page.goto(base + '/');
  assert.match(await page.title(), /noticescan/);
  assert.match(await page.locator('.privacy').innerText(), /nothing is stored/i);
  // The picker is the first thing the keyboard reaches, and it offers the camera on a phone.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'file');
  assert.match(await page.locator('#file').getAttribute('accept'), /image\/\*/);

  await page.locator('#file').setInputFiles([photo, pdf]);
  await waitForDone(page, 2);
  for (const [index, path] of [[0, photo], [1, pdf]]) {
    const api = await apiResult(base, path);
    assert.ok(api.fields.length >= 2, `${path}: the sample should have several numbers`);
    const shown = await shownFields(page, index);
    assert.deepEqual(shown, api.fields.map((f) => ({ kind: KIND_NAMES[f.type], value: f.value })),
      `${path}: the page shows other numbers than the API returns`);
    const card = page.locator('article.doc').nth(index);
    // Each field is outlined on the page picture, and the picture says so in words.
    assert.equal(await card.locator('.page-view polygon').count(), api.fields.length);
    const alt = await card.locator('.page-view img').first().getAttribute('alt');
    assert.match(alt, new RegExp(`Page 1 of ${basename(path).replace('.', '\\.')}.*outlined`));
    assert.ok(await card.locator('.page-view img').first().evaluate((img) => img.complete && img.naturalWidth > 0),
      `${path}: the page picture did not load`);
    for (const word of await card.locator('.confidence .word').allTextContents()) {
      assert.match(word, /^(high|check this|low: check this carefully)$/);
    }
  }
  // The PDF's facts are shown.
  const pdfApi = await apiResult(base, pdf);
  const facts = await page.locator('article.doc').nth(1).locator('.facts').innerText();
  if (pdfApi.document.notice_type) assert.ok(facts.includes(pdfApi.document.notice_type), facts);
  if (pdfApi.document.form_type) assert.ok(facts.includes(pdfApi.document.form_type), facts);

  // Copy: the first number of the photo lands on the clipboard.
  const photoCard = page.locator('article.doc').nth(0);
  await photoCard.locator('button.copy').first().click();
  const firstValue = (await shownFields(page, 0))[0].value;
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), firstValue);
  await photoCard.locator('.copied', { hasText: 'Copied' }).first().waitFor();

  // Downloads: the JSON holds the API's fields; the CSV is what the command line writes.
  const [jsonDownload] = await Promise.all([page.waitForEvent('download'), photoCard.locator('.download-json').click()]);
  const downloaded = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8'));
  const photoApi = await apiResult(base, photo);
  assert.deepEqual(downloaded.fields, photoApi.fields);
  assert.equal(jsonDownload.suggestedFilename(), 'photo-perspective-shadow.noticescan.json');
  assert.ok(downloaded.pages.every((p) => !('preview' in p)), 'the JSON download should not carry the pictures');
  for (const [index, path] of [[0, photo], [1, pdf]]) {
    const card = page.locator('article.doc').nth(index);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), card.locator('.download-csv').click()]);
    const csv = readFileSync(await csvDownload.path(), 'utf8');
    const expected = execFileSync(cli, ['scan', '--format', 'csv', basename(path)],
      { cwd: samples, env: { ...process.env, OMP_THREAD_LIMIT: '1' }, encoding: 'utf8' });
    assert.equal(csv, expected, `${path}: the page's CSV differs from noticescan scan --format csv`);
  }
  await page.screenshot({ path: join(outDir, 'web-desktop.png'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(outDir, 'web-desktop-top.png') });  // docs/web-page.png

  // A file that is not a notice: a readable message, not a blank page.
  await page.locator('#file').setInputFiles({ name: 'shopping-list.txt', mimeType: 'text/plain',
    buffer: Buffer.from('eggs, milk, bread\n') });
  await waitForDone(page, 3);
  const error = await page.locator('article.doc').nth(2).locator('[role="alert"]').innerText();
  assert.match(error, /not a file noticescan can read/);

  // A blurred photo (blurred here, in the browser): the page says so in plain words.
  const blurred = await page.evaluate(async (data) => {
    const image = new Image();
    image.src = `data:image/jpeg;base64,${data}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.filter = 'blur(7px)';
    context.drawImage(image, 0, 0);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(binary);
  }, readFileSync(photo).toString('base64'));
  await page.locator('#file').setInputFiles({ name: 'blurry-photo.jpg', mimeType: 'image/jpeg',
    buffer: Buffer.from(blurred, 'base64') });
  await waitForDone(page, 4);
  const blurryCard = page.locator('article.doc').nth(3);
  assert.match(await blurryCard.locator('.warnings').innerText(), /The photo is blurry.*Retake the photo closer/s);
  await blurryCard.screenshot({ path: join(outDir, 'web-blurry.png') });

  // Values read too uncertainly to report (withheld_fields, here the photo's own values moved
  // there by a stand-in answer) are shown apart and folded away, never as numbers found.
  const uncertain = { ...photoApi, fields: [],
    withheld_fields: photoApi.fields.map((f) => ({ ...f, confidence: 0.3 })),
    warnings: photoApi.fields.map(() => ({ code: 'value_withheld', page: 1, message: 'a number was read too '
      + 'uncertainly to report (confidence 0.30, listed under withheld_fields): check it against the paper' })) };
  await page.route('**/v1/scan*', (route) => route.fulfill({ status: 200, contentType: 'application/json',
    body: JSON.stringify(uncertain) }));
  await page.locator('#file').setInputFiles([photo]);
  await waitForDone(page, 5);
  await page.unroute('**/v1/scan*');
  const heldCard = page.locator('article.doc').nth(4);
  assert.deepEqual(await shownFields(page, 4), []);
  assert.match(await heldCard.locator('.none').innerText(), /read surely enough/);
  assert.match(await heldCard.locator('details.withheld summary').innerText(),
    new RegExp(`^${photoApi.fields.length} more numbers, read too uncertainly to trust`));
  assert.deepEqual(await heldCard.locator('details.withheld .field .value').allTextContents(),
    photoApi.fields.map((f) => f.value));
  for (const word of await heldCard.locator('details.withheld .confidence .word').allTextContents()) {
    assert.equal(word, 'low: check this carefully');
  }
  assert.match(await heldCard.locator('.warnings').innerText(), /A number was read too uncertainly to trust.*Check it against the paper/s);
  await heldCard.locator('details.withheld summary').click();
  await heldCard.screenshot({ path: join(outDir, 'web-withheld.png') });
  assert.deepEqual(consoleErrors, [], 'the page logged errors');

  // ---- Phone ----
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2,
    isMobile: true, hasTouch: true });
  watchRequests(phone);
  const small = await phone.newPage();
  await small.goto(base + '/');
  await small.locator('#file').setInputFiles([photo]);
  await waitForDone(small, 1);
  assert.equal((await shownFields(small, 0)).length, photoApi.fields.length);
  const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than a phone's screen`);
  await small.screenshot({ path: join(outDir, 'web-phone.png'), fullPage: true });

  assert.deepEqual(elsewhere, [], 'the page asked for something from another site');
  console.log(`web: page, numbers, copy, downloads, errors, blur warning, keyboard and phone layout hold; ` +
    `screenshots in ${outDir}`);
} finally {
  await browser.close();
  server.kill('SIGTERM');
}
