// Builds the dashboard into web/dist: index.html, assets/app.js, assets/app.css and the
// world map (assets/countries-110m.json, from the world-atlas package). Everything the page
// loads is local: no CDN, no web fonts.
import { build } from 'esbuild';
import { mkdirSync, rmSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const assets = join(dist, 'assets');
const require = createRequire(import.meta.url);

rmSync(dist, { recursive: true, force: true });
mkdirSync(assets, { recursive: true });

await build({
  entryPoints: { app: join(root, 'src/main.ts') },
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['es2020', 'chrome100', 'firefox100'],
  outdir: assets,
  logLevel: 'warning',
  legalComments: 'linked',
});

copyFileSync(require.resolve('world-atlas/countries-110m.json'), join(assets, 'countries-110m.json'));

// Cache-busting query strings from the content, so a rebuilt dashboard is never mixed with an old one.
const v = (f) => createHash('sha256').update(readFileSync(join(assets, f))).digest('hex').slice(0, 10);
const html = readFileSync(join(root, 'src/index.html'), 'utf8')
  .replace('%APP_JS%', `assets/app.js?v=${v('app.js')}`)
  .replace('%APP_CSS%', `assets/app.css?v=${v('app.css')}`);
writeFileSync(join(dist, 'index.html'), html);
console.log(`built ${dist}`);
