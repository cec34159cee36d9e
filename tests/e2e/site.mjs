// End-to-end check of the built site (`trunk build --release` output) in real Chromium,
// run by `cargo xtask test`: it loads the page from a local static server, plays the
// paper's preset to the end, reads the final weights off the page, calls the engine from
// JavaScript (its own module), checks the securities panel's orders and a restriction
// toggle, opens the simulator through time (in the panels' module) and plays a simulated
// rebalance in the page's player, runs a grid and Monte Carlo in the Web Worker (with a
// cancel), checks the 768 px layout, the first screen at 1280x800, the smallest text,
// presenter mode and axe-core's accessibility audit, that nothing was logged as an error and that no
// request left localhost, and saves screenshots under the build output. It measures
// (never asserts) the figures the README quotes: time to interactive, the re-render time
// of a drag on a 10-model strategy, a 30-year daily simulation, 1,000 Monte Carlo paths.
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
  const requests = [];
  page.on('request', (r) => {
    requests.push(r.url());
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) external.push(r.url());
  });
  // Every Content-Security-Policy violation of the session, recorded from before the
  // page's first script (an init script is not itself subject to the policy).
  const violations = [];
  await page.exposeFunction('__reportViolation', (v) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => window.__reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });

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

  // The engine from JavaScript, through the exports Trunk puts on window.wasmBindings.
  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid=step-counter]');
  const api = await page.evaluate(async ([text, holdings]) => {
    const engine = await window.umaApi();
    const out = engine.rebalance(JSON.parse(text));
    const orders = engine.rebalance(JSON.parse(holdings)).tactical.sleeves[0].orders.map((o) => `${o.side} ${o.shares} ${o.symbol}`);
    let thrown = null;
    try { engine.drift({ strategy: { models: 3 } }); } catch (e) { thrown = `${e instanceof Error} ${e.message}`; }
    return { weights: out.models.map((m) => m.weight_after), steps: out.steps.length, orders, thrown };
  }, ['paper-three-models.json', 'holdings-three-sleeves.json'].map((f) => fs.readFileSync(path.resolve('tests/scenarios', f), 'utf8')));
  assert.deepEqual(api.weights, ['31.5', '49.5', '19'], 'JS API weights');
  assert.equal(api.steps, 4);
  assert.deepEqual(api.orders, ['sell 14 LCG', 'sell 14 LCV'], 'JS API orders');

  // The securities in the sleeves, from the panels' module.
  await page.selectOption('[data-testid=preset]', 'holdings-three-sleeves');
  await page.waitForSelector('[data-testid=orders-large] [data-testid=order]');
  assert.equal(await page.locator('[data-testid=orders-mid] [data-testid=order]').count(), 1);
  await page.click('[data-testid=dnh-LCV]');
  await page.waitForFunction(() => /do not hold/.test(document.querySelector('[data-testid=orders-large]')?.textContent ?? ''));
  await page.screenshot({ path: path.join(dist, 'e2e-securities.png'), fullPage: true });
  assert.equal(api.thrown, 'true strategy.models: invalid type: integer `3`, expected a list');

  // The simulator through time, loaded on demand, on the five-sleeve preset.
  await page.selectOption('[data-testid=preset]', 'balanced-five');
  const moduleStart = Date.now();
  await page.click('[data-testid=open-time]');
  await page.waitForSelector('[data-testid=time-chart]', { timeout: 30000 });
  const moduleMs = Date.now() - moduleStart;
  assert.equal(await page.locator('[data-testid=time-chart] .strip').count(), 5);
  assert.match(await page.textContent('[data-testid=history-credit]'), /Kenneth R\. French/);
  // A rebalance marker opens that rebalance in the page's player, across the two modules.
  await page.locator('[data-testid=marker-lane]').scrollIntoViewIfNeeded();
  const marker = await page.locator('[data-testid=rebalance-marker]').nth(2).boundingBox();
  await page.mouse.click(marker.x + marker.width / 2, marker.y + marker.height / 2);
  await page.waitForSelector('[data-testid=replay-banner]');
  assert.match(await page.textContent('[data-testid=replay-title]'), /^Rebalance 3 of \d+ on \d{4}-\d\d-\d\d/);
  await page.click('[data-testid=to-end]');
  await page.waitForSelector('[data-testid=outcome-table]');
  // A 30-year daily five-model random path: the engine's time for each of five seeds.
  await page.selectOption('[data-testid=market-source]', 'random');
  const simMs = [];
  for (const seed of ['11', '12', '13', '14', '15']) {
    await page.fill('[data-testid=seed]', seed);
    await page.press('[data-testid=seed]', 'Enter');
    await page.waitForFunction((s) => document.querySelector('[data-testid=seed]')?.value === s, seed);
    await page.waitForSelector('[data-testid=sim-ms]');
    simMs.push(Number(await page.textContent('[data-testid=sim-ms]')));
  }
  simMs.sort((a, b) => a - b);
  assert.match(await page.textContent('[data-testid=run-metrics]'), /30\.0 years|Ending value/);

  // The grid, in the background worker.
  await page.click('[data-testid=run-grid]');
  await page.waitForFunction(() => /background worker/.test(document.querySelector('[data-testid=grid-progress-text]')?.textContent ?? ''));
  await page.waitForSelector('[data-testid=grid-table]', { timeout: 120000 });
  assert.equal(await page.locator('[data-testid=grid-row]').count(), 20);

  // Monte Carlo of one configuration (interior 50%, relative 25%, monthly looks) on 1,000
  // paths: cancelled once, then run to the end while the page keeps drawing frames.
  for (const id of ['grid-range-0', 'grid-range-1', 'grid-band-0', 'grid-band-1', 'grid-band-2', 'grid-band-5', 'grid-policy-1']) {
    await page.click(`[data-testid=${id}]`);
  }
  assert.equal(await page.textContent('[data-testid=run-grid]'), 'Run 1 configurations');
  await page.fill('[data-testid=mc-paths]', '1000');
  await page.press('[data-testid=mc-paths]', 'Enter');
  await page.click('[data-testid=run-monte-carlo]');
  await page.waitForFunction(() => /[1-9]\d* of 1000 paths, in a background worker/.test(document.querySelector('[data-testid=mc-progress-text]')?.textContent ?? ''));
  await page.click('[data-testid=mc-cancel]');
  await page.waitForSelector('[data-testid=mc-cancelled]');
  const mc = await page.evaluate(async () => {
    const start = performance.now();
    document.querySelector('[data-testid=run-monte-carlo]').click();
    let longest = 0;
    let last = performance.now();
    while (!document.querySelector('[data-testid=mc-table]')) {
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
      if (now - start > 120000) throw new Error('Monte Carlo did not finish in 2 minutes');
    }
    return { ms: performance.now() - start, longest, caption: document.querySelector('[data-testid=mc-table] caption').textContent };
  });
  assert.match(mc.caption, /over 1000 paths/);
  await page.screenshot({ path: path.join(dist, 'e2e-through-time.png'), fullPage: true });

  // Names and symbols carrying markup and script, imported as a file: shown as typed on
  // the page, in the chart, in the printed report and in the blotter (where a leading `=`
  // is neutralised), and nothing runs.
  const hostile = JSON.parse(fs.readFileSync(path.resolve('tests/scenarios/holdings-three-sleeves.json'), 'utf8'));
  const imgName = '<img src=x onerror="window.__xss=\'name\'">Large & <b>Co</b>';
  hostile.strategy.models[0].name = imgName;
  hostile.strategy.models[1].name = '<script>window.__xss="script"</script>Mid';
  const hostileText = JSON.stringify(hostile).replaceAll('"LCG"', JSON.stringify('=cmd|x!A1')).replaceAll('"MID"', JSON.stringify('<i>MID</i>'));
  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid=step-counter]');
  await page.setInputFiles('[data-testid=import]', { name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(hostileText) });
  await page.waitForFunction((name) => document.querySelector('[data-testid=band-chart]')?.textContent.includes(name), imgName);
  await page.waitForSelector('[data-testid=blotter]');
  await page.waitForFunction((name) => document.querySelector('[data-testid=report]')?.textContent.includes(name), imgName);
  const shown = await page.evaluate(() => ({
    xss: window.__xss ?? null,
    injected: document.querySelectorAll('img[src="x"], b, i, body script:not([src])').length,
    chart: document.querySelector('[data-testid=band-chart]').textContent,
    table: document.querySelector('[data-testid=drift-table]').textContent,
    report: document.querySelector('[data-testid=report]').textContent,
    blotter: decodeURIComponent(document.querySelector('[data-testid=blotter]').getAttribute('href').replace(/^data:[^,]*,/, '')),
  }));
  assert.equal(shown.xss, null, 'no imported text ran as script');
  assert.equal(shown.injected, 0, 'no imported text became an element');
  assert.ok(shown.chart.includes('<script>window.__xss="script"</script>Mid'), 'the chart shows the name as typed');
  assert.ok(shown.table.includes(imgName), 'the drift table shows the name as typed');
  assert.ok(shown.report.includes(imgName), 'the report shows the name as typed');
  assert.match(shown.blotter, /^large,'=cmd\|x!A1,sell,/m, 'a leading = is neutralised in the blotter');
  assert.match(shown.blotter, /^mid,<i>MID<\/i>,buy,/m, 'symbols are written to the blotter as typed');

  // The worst inputs, to the JavaScript API and to the page's import: each one message,
  // on one line, naming the field, and the page keeps working.
  const rules = '"band": {"kind": "relative", "width": "20"}, "range": {"mode": "target"}, "step": "1"';
  const withModel = (model, value = '"5000"') =>
    `{"version": 1, "strategy": {${rules}, "models": [${model}]}, "account": {"sleeves": [{"model": "a", "value": ${value}}]}}`;
  const worst = [
    '{"strategy": {"models": 3}}',
    withModel('{"id": "a", "target": "1e30"}'),
    withModel('{"id": "a", "target": 1e308}'),
    withModel('{"id": "a", "target": "35_000"}'),
    withModel('{"id": "a\\u0000", "target": "100"}'),
    `{"version": 1, "strategy": {${rules}, "models": [${'{"id": "m", "target": "1"},'.repeat(20000)}{"id": "z", "target": "1"}]}, "account": {"sleeves": []}}`,
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    withModel('{"id": "a", "target": "100"}', '"-5000"'),
  ];
  const thrown = await page.evaluate(async (texts) => {
    const engine = await window.umaApi();
    return texts.map((text) => {
      let value;
      try { value = JSON.parse(text); } catch { return 'not JSON to JavaScript'; }
      try { engine.rebalance(value); return 'accepted'; } catch (e) { return `${e instanceof Error}|${e.message}`; }
    });
  }, worst);
  for (const [k, result] of thrown.entries()) {
    if (result === 'not JSON to JavaScript') continue;
    assert.match(result, /^true\|[^\n]+$/, `worst input ${k}: an Error with a one-line message, not ${result.slice(0, 200)}`);
    assert.doesNotMatch(result, /struct|Repr|\?\./, `worst input ${k}: no type names: ${result.slice(0, 200)}`);
  }
  assert.match(thrown[1], /strategy\.models\[0\]\.target: "1e30" is not a number/);
  assert.match(thrown[2], /above the cap/);
  assert.match(thrown[4], /strategy\.models\[0\]\.id/);
  assert.match(thrown[7], /account\.sleeves\[0\]\.value/);
  for (const [k, text] of worst.entries()) {
    await page.setInputFiles('[data-testid=import]', { name: `worst-${k}.json`, mimeType: 'application/json', buffer: Buffer.from(text) });
    await page.waitForFunction((name) => document.querySelector('[data-testid=notice]')?.textContent.startsWith(`${name} could not be imported: `), `worst-${k}.json`);
  }
  // Still the hostile scenario, still playing.
  assert.ok((await page.textContent('[data-testid=band-chart]')).includes(imgName), 'the page kept its scenario');
  await page.click('[data-testid=play]');
  await page.waitForFunction(() => /^Step \d+ of \d+$/.test(document.querySelector('[data-testid=step-counter]')?.textContent ?? ''));

  // The tablet width.
  await page.setViewportSize({ width: 768, height: 1000 });
  await page.goto(`${origin}/`);
  await page.waitForSelector('[data-testid=step-counter]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow}px at 768 px`);
  await page.screenshot({ path: path.join(dist, 'e2e-768.png'), fullPage: true });

  // The first screen at 1280x800 holds the core loop (the band chart, the player with
  // its sentence, the drift table); no text anywhere on the page is under 12 px (SVG
  // text as drawn, after the drawing's scale), at 1280 and at 768 px; presenter mode
  // hides the editors and steps by keyboard.
  const smallest = () => page.evaluate(() => {
    let least = { px: Infinity, text: '' };
    for (const el of document.querySelectorAll('body *')) {
      const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
      if (!own || !el.getClientRects().length || el.closest('.sr-only, .report-root, [hidden]')) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden') continue;
      let px = parseFloat(style.fontSize);
      const m = el instanceof SVGElement ? el.getScreenCTM() : null;
      if (m) px *= Math.hypot(m.a, m.b);
      if (px < least.px) least = { px, text: `${el.tagName} ${el.textContent.trim().slice(0, 40)}` };
    }
    return least;
  });
  const layout = {};
  for (const [width, height] of [[1280, 800], [768, 1024]]) {
    await page.setViewportSize({ width, height });
    await page.goto(`${origin}/`);
    await page.waitForSelector('[data-testid=step-counter]');
    await page.selectOption('[data-testid=preset]', 'paper-three-models');
    await page.waitForSelector('[data-testid=compare-interior]');
    const least = await smallest();
    assert.ok(least.px >= 11.95, `no text under 12 px at ${width} px: ${least.px.toFixed(1)} px for ${least.text}`);
    const bottoms = await page.evaluate(() => Object.fromEntries(['band-chart', 'step-text', 'drift-table', 'transport'].map((id) => {
      const el = id === 'transport' ? document.querySelector('.transport') : document.querySelector(`[data-testid=${id}]`);
      return [id, Math.round(el.getBoundingClientRect().bottom)];
    })));
    layout[width] = { least: least.px, bottoms };
    if (width === 1280) {
      for (const [id, bottom] of Object.entries(bottoms)) assert.ok(bottom <= height, `${id} ends at ${bottom} px, below the first screen`);
    }
    await page.screenshot({ path: path.join(dist, `e2e-first-screen-${width}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click('[data-testid=presenter]');
  assert.equal(await page.locator('[data-testid=editors]').isVisible(), false, 'presenter mode hides the editors');
  await page.locator('[data-testid=presenter]').blur();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.textContent('[data-testid=step-counter]'), 'Step 2 of 4');
  await page.screenshot({ path: path.join(dist, 'e2e-presenter.png') });
  await page.keyboard.press('Escape');

  // axe-core finds no accessibility violation on the page, the securities preset and the
  // analyses. It is put into the page by the test, so this context bypasses the page's
  // policy (the policy itself is checked on the page above).
  const axeSource = fs.readFileSync(path.resolve('node_modules/axe-core/axe.min.js'), 'utf8');
  const audit = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  const a11y = await audit.newPage();
  const axe = async (what) => {
    await a11y.addScriptTag({ content: axeSource });
    const found = await a11y.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} [${n.any.map((c) => c.message).join('; ')}]`).join(', ')}`));
    assert.deepEqual(found, [], `axe-core violations on ${what}`);
  };
  await a11y.goto(`${origin}/`);
  await a11y.waitForSelector('[data-testid=compare-interior]');
  await a11y.click('[data-testid=step-forward]');
  await a11y.waitForTimeout(800); // the step's movement ends
  await axe('the page (paper preset, after step 1)');
  await a11y.selectOption('[data-testid=preset]', 'holdings-three-sleeves');
  await a11y.waitForSelector('[data-testid=orders-large] [data-testid=order]');
  await a11y.click('[data-testid=editors] summary');
  await axe('the securities preset, editors open');
  await a11y.selectOption('[data-testid=preset]', 'balanced-five');
  await a11y.click('[data-testid=open-time]');
  await a11y.waitForSelector('[data-testid=time-chart]', { timeout: 30000 });
  await axe('the analyses (through time)');
  await audit.close();

  assert.deepEqual(errors, [], 'console errors');
  assert.deepEqual(external, [], 'requests beyond localhost');
  // The policy the browser enforced, and what it blocked (nothing, or the page is broken).
  const policy = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  for (const directive of ["connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'", "'wasm-unsafe-eval'"]) {
    assert.ok(policy.includes(directive), `the policy has ${directive}: ${policy}`);
  }
  assert.ok(!policy.replaceAll("'wasm-unsafe-eval'", '').includes('unsafe-eval'), `no eval: ${policy}`);
  assert.doesNotMatch(policy, /script-src[^;]*unsafe-inline/, `no inline script but the hashed loader: ${policy}`);
  assert.deepEqual(violations, [], 'Content-Security-Policy violations');
  // The policy is enforced, not only written: an inline script put in the page is refused
  // (and reported, which shows the recording above would have seen a violation).
  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.append(script);
    await new Promise((resolve) => setTimeout(resolve, 100));
    return window.__injected ?? false;
  });
  assert.equal(ran, false, 'an injected inline script does not run');
  assert.ok(violations.some((v) => v.startsWith('script-src')), `the refusal is reported: ${violations}`);
  console.log(`e2e figures: interactive after ${interactiveMs.toFixed(0)} ms; drag re-render on 10 models: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms over ${samples.length} drags`);
  console.log(`e2e figures: through-time module loaded and first run drawn in ${moduleMs} ms; one 30-year daily five-model path simulated in ${simMs[2].toFixed(1)} ms (median of five seeds, ${simMs[0].toFixed(1)}–${simMs[4].toFixed(1)})`);
  console.log(`e2e figures: Monte Carlo, 1,000 30-year daily five-model paths in the worker: ${(mc.ms / 1000).toFixed(2)} s; longest pause between frames meanwhile ${mc.longest.toFixed(0)} ms`);
  console.log(`e2e requests: ${requests.length} in the session, every one to ${origin}; 0 policy violations (one injected script refused, as it should be)`);
  console.log(`e2e layout: at 1280x800 the chart ends at ${layout[1280].bottoms['band-chart']} px, the step sentence at ${layout[1280].bottoms['step-text']} px, the drift table at ${layout[1280].bottoms['drift-table']} px; smallest text ${layout[1280].least.toFixed(1)} px (1280), ${layout[768].least.toFixed(1)} px (768); axe-core: no violation`);
  console.log(`e2e screenshots: ${['e2e-screenshot.png', 'e2e-securities.png', 'e2e-through-time.png', 'e2e-768.png'].map((f) => path.join(dist, f)).join(', ')}`);
} catch (error) {
  failed = 1;
  console.error(`e2e failure: ${error.stack ?? error}`);
} finally {
  await browser.close();
  server.close();
}
console.log(`test result: ${failed ? 'FAILED' : 'ok'}. ${1 - failed} passed; ${failed} failed (end-to-end check of the built site)`);
process.exit(failed);
