// Generates the PWA icons (public/icons/*.svg, *.png) from one geometry: a circular "review"
// arrow with a dot, white on the primary colour. Pure Node (zlib), no dependencies:
//   npm run icons
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BG = [0x24, 0x53, 0xc7];
const FG = [0xff, 0xff, 0xff];

// Geometry in a 512 × 512 box.
const C = 256;
const R = 138; // ring radius
const W = 38; // ring stroke width
const DOT = 36;
const START = (40 * Math.PI) / 180; // the arc runs clockwise from START to END (y down)
const END = (330 * Math.PI) / 180;
const CORNER = 104; // rounded-square radius ("any" icons); maskable icons are full-bleed

const pt = (a, r = R) => [C + r * Math.cos(a), C + r * Math.sin(a)];
const endPt = pt(END);
const dir = [-Math.sin(END), Math.cos(END)]; // clockwise tangent at END
const nrm = [Math.cos(END), Math.sin(END)];
const HEAD_LEN = 46;
const HEAD_HALF = 46;
const tip = [endPt[0] + dir[0] * HEAD_LEN, endPt[1] + dir[1] * HEAD_LEN];
const b1 = [endPt[0] + nrm[0] * HEAD_HALF, endPt[1] + nrm[1] * HEAD_HALF];
const b2 = [endPt[0] - nrm[0] * HEAD_HALF, endPt[1] - nrm[1] * HEAD_HALF];

function svg(maskable) {
  const f = (n) => n.toFixed(1);
  const s = pt(START);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${maskable ? 0 : CORNER}" fill="#2453c7"/>
  <path d="M${f(s[0])} ${f(s[1])}A${R} ${R} 0 1 1 ${f(endPt[0])} ${f(endPt[1])}" fill="none" stroke="#fff" stroke-width="${W}" stroke-linecap="round"/>
  <path d="M${f(tip[0])} ${f(tip[1])}L${f(b1[0])} ${f(b1[1])}L${f(b2[0])} ${f(b2[1])}Z" fill="#fff"/>
  <circle cx="${C}" cy="${C}" r="${DOT}" fill="#fff"/>
</svg>
`;
}

function inTriangle(p, a, b, c) {
  const s = (p1, p2, p3) => (p1[0] - p3[0]) * (p2[1] - p3[1]) - (p2[0] - p3[0]) * (p1[1] - p3[1]);
  const d1 = s(p, a, b);
  const d2 = s(p, b, c);
  const d3 = s(p, c, a);
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

function inRoundedRect(x, y, radius) {
  const cx = Math.min(Math.max(x, radius), 512 - radius);
  const cy = Math.min(Math.max(y, radius), 512 - radius);
  return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius;
}

/** 0 = transparent, 1 = background, 2 = foreground */
function sample(x, y, maskable) {
  if (!maskable && !inRoundedRect(x, y, CORNER)) return 0;
  const dx = x - C;
  const dy = y - C;
  const d = Math.hypot(dx, dy);
  if (d <= DOT) return 2;
  let a = Math.atan2(dy, dx);
  if (a < 0) a += 2 * Math.PI;
  if (Math.abs(d - R) <= W / 2 && a >= START && a <= END) return 2;
  const s = pt(START);
  if (Math.hypot(x - s[0], y - s[1]) <= W / 2) return 2;
  if (inTriangle([x, y], tip, b1, b2)) return 2;
  return 1;
}

function render(size, maskable) {
  const N = 4; // 4 × 4 supersampling
  const scale = 512 / size;
  const px = Buffer.alloc(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      let bg = 0;
      let fg = 0;
      for (let sy = 0; sy < N; sy++) {
        for (let sx = 0; sx < N; sx++) {
          const v = sample((i + (sx + 0.5) / N) * scale, (j + (sy + 0.5) / N) * scale, maskable);
          if (v === 1) bg++;
          else if (v === 2) fg++;
        }
      }
      const cover = bg + fg;
      const o = (j * size + i) * 4;
      if (cover === 0) continue;
      for (let k = 0; k < 3; k++) px[o + k] = Math.round((BG[k] * bg + FG[k] * fg) / cover);
      px[o + 3] = Math.round((255 * cover) / (N * N));
    }
  }
  return png(size, size, px);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
function png(width, height, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'icon.svg'), svg(false));
writeFileSync(join(OUT, 'icon-maskable.svg'), svg(true));
writeFileSync(join(OUT, 'icon-192.png'), render(192, false));
writeFileSync(join(OUT, 'icon-512.png'), render(512, false));
writeFileSync(join(OUT, 'icon-maskable-512.png'), render(512, true));
console.log('icons written to', OUT);
