import { crc32, deflateSync } from 'node:zlib';
import { LRUCache } from 'lru-cache';
import QRCode from 'qrcode';

/** A certificate's QR code: a PNG data URL and an SVG document. */
export interface CertificateQr { png: string; svg: string }

// Quartile error correction, as the EU DCC guidelines recommend; the HC1 alphabet is QR's alphanumeric mode.
const ERROR_CORRECTION = 'Q';
const MARGIN = 2;
/** Pixels per module of the PNG. */
const SCALE = 4;

// A certificate asked for again (same HC1 text) is not rendered again while it stays among the recent ones.
const rendered = new LRUCache<string, Promise<CertificateQr>>({ max: 2_000 });

/** The QR code of an `HC1:` text, as PNG and SVG. */
export function renderQr(hc1: string): Promise<CertificateQr> {
  let qr = rendered.get(hc1);
  if (!qr) {
    qr = render(hc1);
    rendered.set(hc1, qr);
    qr.catch(() => rendered.delete(hc1));
  }
  return qr;
}

async function render(hc1: string): Promise<CertificateQr> {
  // The symbol (version, mask chosen among eight trial encodings) is computed once for both images.
  const symbol = QRCode.create(hc1, { errorCorrectionLevel: ERROR_CORRECTION });
  const svg = await QRCode.toString(hc1, {
    errorCorrectionLevel: ERROR_CORRECTION, version: symbol.version, maskPattern: symbol.maskPattern, margin: MARGIN, type: 'svg',
  });
  return { png: `data:image/png;base64,${blackAndWhitePng(symbol.modules).toString('base64')}`, svg };
}

/**
 * The modules as a 1-bit greyscale PNG. The qrcode package's PNG path draws 32-bit RGBA
 * through pngjs: several times larger, and about 40 times slower where typed-array writes are
 * slow; a QR code needs only black and white.
 */
function blackAndWhitePng(modules: QRCode.BitMatrix): Buffer {
  const size = (modules.size + 2 * MARGIN) * SCALE;
  const rowBytes = Math.ceil(size / 8);
  // One filter byte (0: none) per scanline, then the row's bits; 1 is white.
  const raw = Buffer.alloc((rowBytes + 1) * size, 0xff);
  for (let y = 0; y < size; y++) {
    const rowStart = y * (rowBytes + 1);
    raw[rowStart] = 0;
    const row = Math.floor(y / SCALE) - MARGIN;
    for (let x = 0; x < size; x++) {
      const col = Math.floor(x / SCALE) - MARGIN;
      const dark = row >= 0 && col >= 0 && row < modules.size && col < modules.size && modules.get(row, col);
      if (dark) raw[rowStart + 1 + (x >> 3)]! &= ~(0x80 >> (x & 7));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([1, 0, 0, 0, 0], 8); // bit depth 1, greyscale, deflate, no filter method variant, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'ascii');
  data.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}
