// End-to-end check of the built site (`trunk build --release` output) in real Chromium,
// run by `cargo xtask test`: it loads the page from a local static server, plays the
// paper's preset to the end, reads the final weights off the page, checks that nothing
// was logged as an error and that no request left localhost, and saves a screenshot under
// the build output. It then measures (never asserts) the figures the README quotes: time
// to interactive, and the re-render time of a drag on a 10-model strategy.
//
// Usage: node tests/e2e/site.mjs [DIST]   (DIST defaults to ./dist)

import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? 'dist');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css', '.png': 'image/png' };

const server = http.createServer((req, res) => {
  let file = decodeURIComponent(new URL(req.url, 'http://localhost').pathname);
  if (file.endsWith('/')) file += 'index.html';
  const full = path.join(dist, path.normalize(file));
  if (!full.startsWith(dist) || !fs.existsSync(full)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(full)] ?? 'application/octet-stream' });
  fs.createReadStream(full).pipe(res);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});

let failed = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  const external = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => { if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) external.push(r.url()); });

  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid=step-counter]');
  const interactiveMs = await page.evaluate(() => performance.now());

  await page.selectOption('[data-testid=preset]', 'paper-three-models');
  await page.selectOption('[data-testid=speed]', '150');
  await page.click('[data-testid=play]');
  await page.waitForFunction(() => document.querySelector('[data-testid=step-counter]')?.textContent === 'Step 4 of 4');
  await page.waitForSelector('[data-testid=outcome-table]');
  const weights = await page.$$eval('[data-testid=outcome-table] [data-testid=weight-after]', (cells) => cells.map((c) => c.textContent));
  assert.deepEqual(weights, ['31.50%', '49.50%', '19.00%'], 'final weights of the paper example');
  const sentence = await page.textContent('[data-testid=step-text]');
  assert.match(sentence, /^Pass 2: Mid Cap is furthest under its target/);
  await page.screenshot({ path: path.join(dist, 'e2e-screenshot.png'), fullPage: true });

  // A 10-model strategy through the link: drag the first model's weight 200 times and
  // time each re-render (event dispatch to updated, laid-out DOM).
  const ten = {
    version: 1,
    strategy: {
      models: Array.from({ length: 10 }, (_, i) => ({ id: `m${i}`, name: `Model ${i + 1}`, target: '9.5' })),
      cash_target: '5', band: { kind: 'relative', width: '20', floor: '1' },
      range: { mode: 'interior', percent_to_target: '50' }, step: '1',
    },
    account: { cash: '30000', sleeves: Array.from({ length: 10 }, (_, i) => ({ model: `m${i}`, value: String(80000 + 4000 * i) })) },
  };
  await page.goto(`${origin}/#scenario=${encodeURIComponent(JSON.stringify(ten))}`);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=band-chart] .chart-row').length === 10);
  const samples = await page.evaluate(async () => {
    const row = document.querySelector('[data-testid=band-chart] .chart-row');
    const svg = row.querySelector('svg');
    const rect = svg.getBoundingClientRect();
    const at = (fraction) => ({ bubbles: true, pointerId: 1, clientX: rect.left + rect.width * fraction, clientY: rect.top + rect.height / 2 });
    const nextTask = () => new Promise((resolve) => { const c = new MessageChannel(); c.port1.onmessage = resolve; c.port2.postMessage(0); });
    svg.dispatchEvent(new PointerEvent('pointerdown', at(0.3)));
    await nextTask();
    const times = [];
    for (let i = 0; i < 200; i++) {
      const start = performance.now();
      svg.dispatchEvent(new PointerEvent('pointermove', at(0.3 + 0.4 * ((i % 40) / 40))));
      await nextTask();
      void document.body.offsetHeight;
      times.push(performance.now() - start);
    }
    svg.dispatchEvent(new PointerEvent('pointerup', at(0.5)));
    return times;
  });
  samples.sort((a, b) => a - b);
  const p95 = samples[Math.floor(samples.length * 0.95)];
  const median = samples[Math.floor(samples.length / 2)];

  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(external, [], 'requests beyond localhost');
  console.log(`e2e figures: interactive after ${interactiveMs.toFixed(0)} ms; drag re-render on 10 models: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${samples.length} drags`);
  console.log(`e2e screenshot: ${path.join(dist, 'e2e-screenshot.png')}`);
} catch (error) {
  failed = 1;
  console.error(`e2e failure: ${error.stack ?? error}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`test result: ${failed ? 'FAILED' : 'ok'}. ${1 - failed} passed; ${failed} failed (end-to-end check of the built site)`);
process.exit(failed);
