// Trunk's post_build hook (Trunk.toml): writes the page's Content-Security-Policy into the
// built index.html, with the SHA-256 of each inline script Trunk wrote (its loader), so
// that the browser itself enforces "nothing leaves this page": no connection but the
// page's own files, no eval, scripts only from the page's origin (plus WebAssembly), no
// plugins, no <base>, no form posts. Run by every `trunk build` and `trunk serve`.
//
// Usage (by Trunk): node web/build/csp.mjs   with TRUNK_STAGING_DIR set.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error('csp.mjs: TRUNK_STAGING_DIR is not set (run by Trunk as a post_build hook)');
  process.exit(1);
}
const file = path.join(staging, 'index.html');
const html = fs.readFileSync(file, 'utf8');
if (html.includes('http-equiv="Content-Security-Policy"')) process.exit(0);

const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
  ([, body]) => `'sha256-${crypto.createHash('sha256').update(body, 'utf8').digest('base64')}'`,
);
const policy = [
  "default-src 'self'",
  `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
  "worker-src 'self'",
  "connect-src 'self'",
  // Leptos and the charts set style attributes; styles cannot send anything anywhere.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;
const charset = /<meta charset="utf-8"\s*\/?>/i;
if (!charset.test(html)) {
  console.error('csp.mjs: index.html has no <meta charset="utf-8" /> to put the policy after');
  process.exit(1);
}
fs.writeFileSync(file, html.replace(charset, (m) => `${m}\n    ${meta}`));
console.log(`csp.mjs: Content-Security-Policy written (${hashes.length} inline script hash(es))`);
