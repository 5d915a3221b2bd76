// World map: the selected actor's counterparts coloured by story volume or mean Goldstein.
// Countries come from world-atlas (ISO numeric ids), matched to the API's alpha-3 codes.
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import { get, type MapData, type MapCountry } from '../api';
import { h, svg, errorBox, fmt } from '../dom';
import { type Ctx, hashFor } from '../router';
import { numericToAlpha3, countryName } from '../countries';

let atlas: Promise<Topology> | null = null;
function loadAtlas(): Promise<Topology> {
  atlas ??= fetch('assets/countries-110m.json').then(r => { if (!r.ok) throw new Error(`world map: ${r.status}`); return r.json() as Promise<Topology>; });
  return atlas;
}

function volumeColor(v: number, max: number): string {
  if (v <= 0) return '#eef1f5';
  const t = Math.log1p(v) / Math.log1p(Math.max(1, max));
  const c0 = [198, 219, 239], c1 = [8, 48, 107];
  return `rgb(${c0.map((a, i) => Math.round(a + (c1[i] - a) * t)).join(',')})`;
}
function goldsteinColor(g: number | null): string {
  if (g === null) return '#eef1f5';
  const t = Math.max(-1, Math.min(1, g / 10));
  const mid = [240, 240, 240], neg = [178, 24, 43], pos = [27, 120, 55];
  const end = t < 0 ? neg : pos;
  const k = Math.sqrt(Math.abs(t));
  return `rgb(${mid.map((a, i) => Math.round(a + (end[i] - a) * k)).join(',')})`;
}

export async function renderMap(ctx: Ctx): Promise<void> {
  const actor = (ctx.parts[0] ?? 'UZB').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, 12) || 'UZB';
  const metric = ctx.params.get('metric') === 'goldstein' ? 'goldstein' : 'volume';
  const from = ctx.params.get('from') ?? '', to = ctx.params.get('to') ?? '';
  const actorIn = h('input', { value: actor, class: 'code', list: 'countries', testid: 'map-actor' });
  const metricSel = h('select', { testid: 'map-metric' }, h('option', { value: 'volume' }, 'volume (stories)'), h('option', { value: 'goldstein' }, 'mean Goldstein'));
  metricSel.value = metric;
  const go = () => { location.hash = hashFor(['map', actorIn.value.trim().toUpperCase() || 'UZB'], { metric: metricSel.value, from, to }); };
  actorIn.onchange = go; metricSel.onchange = go;
  ctx.root.append(h('div', { class: 'viewhead' }, h('h1', null, `${countryName(actor) || actor}'s counterparts`, h('span', { class: 'muted codes' }, ` ${actor}`)),
    h('div', { class: 'controls' }, h('label', null, 'Actor ', actorIn), h('label', null, 'Colour by ', metricSel))));

  let data: MapData, topo: Topology;
  try { [data, topo] = await Promise.all([get<MapData>('map', { actor, metric, from, to }), loadAtlas()]); }
  catch (err) { ctx.root.append(errorBox(err)); return; }

  const byCode = new Map<string, MapCountry>();
  for (const c of data.countries) byCode.set(c.code, c);
  const max = Math.max(1, ...data.countries.map(c => c.stories));
  const W = 960, H = 500;
  const fc = feature(topo, topo.objects.countries as GeometryCollection) as unknown as { features: Feature<Geometry, { name: string }>[] };
  const proj = geoNaturalEarth1().fitExtent([[4, 4], [W - 4, H - 4]], { type: 'Sphere' } as never);
  const path = geoPath(proj);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'worldmap', 'data-testid': 'world-map', role: 'img' });
  root.appendChild(svg('path', { d: path({ type: 'Sphere' } as never) ?? '', class: 'sphere' }));
  const tip = h('div', { class: 'maptip', testid: 'map-tip' }, 'Hover a country; click one to open its dyad with ' + actor + '.');
  for (const f of fc.features) {
    const a3 = numericToAlpha3.get(String(f.id ?? '')) ?? '';
    const c = a3 ? byCode.get(a3) : undefined;
    const d = path(f);
    if (!d) continue;
    const fill = a3 === actor.slice(0, 3) ? '#ffd54f' : metric === 'volume' ? volumeColor(c?.stories ?? 0, max) : goldsteinColor(c ? c.goldstein_mean : null);
    const p = svg('path', { d, fill, class: `country${c ? ' has' : ''}${a3 === actor.slice(0, 3) ? ' self' : ''}`, 'data-testid': 'country', 'data-code': a3 });
    const label = `${c?.name || f.properties?.name || a3}${a3 ? ` (${a3})` : ''}`;
    const t = svg('title', {}); t.textContent = label; p.appendChild(t);
    p.addEventListener('mouseenter', () => {
      tip.textContent = c ? `${label}: ${c.stories} stories, ${c.events} events, mean Goldstein ${fmt(c.goldstein_mean, 2)}` : `${label}: no events with ${actor}`;
    });
    if (a3 && a3 !== actor.slice(0, 3)) p.addEventListener('click', () => { location.hash = `#/dyad/${actor}-${a3}`; });
    root.appendChild(p);
  }
  const legend = metric === 'volume'
    ? h('div', { class: 'legend' }, h('span', null, h('i', { class: 'sw', style: `background:${volumeColor(1, max)}` }), '1 story'),
      h('span', null, h('i', { class: 'sw', style: `background:${volumeColor(max, max)}` }), `${max} stories`), h('span', null, h('i', { class: 'sw', style: 'background:#ffd54f' }), actor))
    : h('div', { class: 'legend' }, h('span', null, h('i', { class: 'sw', style: `background:${goldsteinColor(-10)}` }), '−10 conflict'),
      h('span', null, h('i', { class: 'sw', style: `background:${goldsteinColor(0)}` }), '0'), h('span', null, h('i', { class: 'sw', style: `background:${goldsteinColor(10)}` }), '+10 cooperation'));
  const sorted = [...data.countries].sort((x, y) => y.stories - x.stories);
  ctx.root.append(h('div', { class: 'twocol mapcols' },
    h('section', { class: 'panel' }, root, tip, legend),
    h('section', { class: 'panel' }, h('h2', null, 'Counterparts'),
      sorted.length ? h('table', { class: 'dense', testid: 'map-table' }, h('thead', null, h('tr', null, h('th', null, 'Country'), h('th', { class: 'num' }, 'Stories'), h('th', { class: 'num' }, 'Events'), h('th', { class: 'num' }, 'GS'))),
        h('tbody', null, ...sorted.map(c => h('tr', { class: 'clickable', onclick: () => { location.hash = `#/dyad/${actor}-${c.code}`; } },
          h('td', null, h('a', { href: `#/dyad/${actor}-${c.code}` }, c.code), ' ', h('span', { class: 'muted' }, c.name || countryName(c.code))),
          h('td', { class: 'num' }, String(c.stories)), h('td', { class: 'num' }, String(c.events)), h('td', { class: 'num' }, fmt(c.goldstein_mean, 2)))))) :
        h('div', { class: 'empty' }, 'No counterparts.'))));
}
