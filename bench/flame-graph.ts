/**
 * Draws a CPU profile's call tree (cpu-profile.ts) as a flame graph: one self-contained SVG,
 * roots at the bottom, each frame as wide as its total sampled time, coloured by kind of code,
 * with the figures in each frame's tooltip. It opens in any browser, with no viewer to install
 * and nothing fetched. Idle time is left out (it is not work); frames narrower than a pixel are
 * dropped to keep the file small, and their time still counts in their parent's width.
 *
 * Not a profile viewer: no zoom or search. The `.cpuprofile` it was drawn from opens in
 * Chrome DevTools or speedscope for that.
 */
import { categoryOf, frameLabel, type Category, type TimedNode } from './cpu-profile.js';

const WIDTH = 1200;
const FRAME = 17;
const PAD = 10;
const CHAR = 6.6;

const COLOURS: Record<Category, string> = {
  tollgate: '#e8803a',
  undici: '#e0c040',
  dependencies: '#d8a85a',
  node: '#6fb86f',
  'garbage collector': '#d05050',
  native: '#a0a0a0',
  idle: '#ffffff',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

interface Frame { x: number; depth: number; width: number; t: TimedNode }

/** Lays the tree out bottom-up: a child starts where its previous sibling ended. */
function layout(root: TimedNode, busyUs: number): { frames: Frame[]; depth: number } {
  const scale = (WIDTH - 2 * PAD) / Math.max(1, busyUs);
  const frames: Frame[] = [];
  let maxDepth = 0;
  const stack: Array<{ t: TimedNode; x: number; depth: number }> = [];
  let x = PAD;
  for (const c of root.children) {
    if (categoryOf(c.node.callFrame) === 'idle') continue;
    stack.push({ t: c, x, depth: 0 });
    x += c.totalUs * scale;
  }
  while (stack.length > 0) {
    const { t, x: at, depth } = stack.pop()!;
    const width = t.totalUs * scale;
    if (width < 1) continue;
    frames.push({ x: at, depth, width, t });
    maxDepth = Math.max(maxDepth, depth);
    let cx = at;
    for (const c of t.children) {
      stack.push({ t: c, x: cx, depth: depth + 1 });
      cx += c.totalUs * scale;
    }
  }
  return { frames, depth: maxDepth + 1 };
}

/**
 * The SVG text. `requests`, when known, adds microseconds per request to every tooltip: a
 * profile of a load run is read per request, not per second.
 */
export function flameGraphSvg(root: TimedNode, title: string, requests?: number): string {
  const idle = root.children.filter((c) => categoryOf(c.node.callFrame) === 'idle').reduce((s, c) => s + c.totalUs, 0);
  const busyUs = root.totalUs - idle;
  const { frames, depth } = layout(root, busyUs);
  const height = (depth + 3) * FRAME + 2 * PAD;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="monospace" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fdfdf8"/>`,
    `<text x="${PAD}" y="${PAD + 12}" font-size="13">${escapeXml(title)}</text>`,
    `<text x="${PAD}" y="${PAD + 12 + FRAME}" fill="#555">busy ${(busyUs / 1e6).toFixed(2)} s sampled (idle left out)${requests ? `, ${requests} requests` : ''}; width = total time; colour = kind of code</text>`,
  ];
  for (const f of frames) {
    const y = height - PAD - (f.depth + 1) * FRAME;
    const label = frameLabel(f.t.node.callFrame);
    const category = categoryOf(f.t.node.callFrame);
    const share = ((100 * f.t.totalUs) / Math.max(1, busyUs)).toFixed(2);
    const perRequest = requests ? `, ${(f.t.totalUs / requests).toFixed(2)} us/req total, ${(f.t.selfUs / requests).toFixed(2)} self` : '';
    const tip = `${label} [${category}]: ${share}% of busy time${perRequest}`;
    const fits = Math.floor((f.width - 4) / CHAR);
    const text = fits >= 3 ? (label.length <= fits ? label : `${label.slice(0, fits - 2)}..`) : '';
    out.push(
      `<g><title>${escapeXml(tip)}</title><rect x="${f.x.toFixed(1)}" y="${y}" width="${f.width.toFixed(1)}" height="${FRAME - 1}" fill="${COLOURS[category]}" rx="2"/>` +
      (text ? `<text x="${(f.x + 3).toFixed(1)}" y="${y + 12}">${escapeXml(text)}</text>` : '') + '</g>',
    );
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
