// `node scripts/icon.ts`: prints the dashboard's tab icon (ui/index.html's `rel="icon"`) as a data URL: a ring and a
// dot in the brand's indigo, 32 px, as a 16-colour PNG (one colour at 16 opacities, 4 bits a pixel: 336 B). A PNG
// rather than the SVG it was: the browser asks the page for its icon once it has loaded, and an SVG is decoded as a
// document of its own, 5–6 ms of the main thread just as a deep link's first rows arrive (0.3–1 ms for this PNG).
import { crc32, deflateSync } from "node:zlib";

const SIZE = 32;
const SAMPLES = 8; // per pixel side: the edge's coverage, anti-aliased
const INDIGO = [0x4f, 0x46, 0xe5];
const LEVELS = 16;

/** Whether a point of the 16-unit drawing is inked: the ring (radius 5–7) or the dot (radius 2.5) around (8, 8). */
const inked = (x: number, y: number) => {
  const d = Math.hypot(x - 8, y - 8);
  return (d >= 5 && d <= 7) || d <= 2.5;
};

const rowBytes = SIZE / 2 + 1; // a filter byte, then two pixels a byte
const pixels = Buffer.alloc(rowBytes * SIZE);
for (let y = 0; y < SIZE; y++)
  for (let x = 0; x < SIZE; x++) {
    let covered = 0;
    for (let sy = 0; sy < SAMPLES; sy++)
      for (let sx = 0; sx < SAMPLES; sx++)
        if (inked(((x + (sx + 0.5) / SAMPLES) * 16) / SIZE, ((y + (sy + 0.5) / SAMPLES) * 16) / SIZE)) covered++;
    const level = Math.round((covered / SAMPLES ** 2) * (LEVELS - 1));
    pixels[y * rowBytes + 1 + (x >> 1)]! |= x % 2 ? level : level << 4;
  }

const chunk = (type: string, data: Buffer) => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
};
const header = Buffer.alloc(13);
header.writeUInt32BE(SIZE, 0);
header.writeUInt32BE(SIZE, 4);
header.set([4, 3], 8); // 4 bits a pixel, palette
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("PLTE", Buffer.from(Array.from({ length: LEVELS }, () => INDIGO).flat())),
  chunk("tRNS", Buffer.from(Array.from({ length: LEVELS }, (_, i) => Math.round((i / (LEVELS - 1)) * 255)))),
  chunk("IDAT", deflateSync(pixels, { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
console.log(`data:image/png;base64,${png.toString("base64")}`);
