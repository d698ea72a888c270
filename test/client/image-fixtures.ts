// Image fixtures built in code: JPEG segments with Exif GPS tags, PNGs with text and eXIf chunks.
import { crc32, deflateSync } from 'node:zlib';

const enc = new TextEncoder();
export const ascii = (s: string): Uint8Array => enc.encode(s);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** A JPEG marker segment: FF, marker, 2-byte length (body + 2), body. */
export function segment(marker: number, body: Uint8Array): Uint8Array {
  const len = body.length + 2;
  return concat(new Uint8Array([0xff, marker, len >> 8, len & 0xff]), body);
}

/** The marker text planted in the GPS and camera tags, looked for in what reaches the server. */
export const GPS_MARKER = 'GPSMARK-51.5007N-0.1246W';
export const CAMERA_MARKER = 'CAMERAMARK-Phone-X';

/**
 * An APP1 Exif body (from "Exif\0\0") in big- or little-endian TIFF: IFD0 with Make (ASCII),
 * Orientation and a GPS IFD pointer; the GPS IFD has GPSLatitudeRef, GPSLatitude (3 rationals)
 * and a GPSProcessingMethod carrying GPS_MARKER.
 */
export function exifBody(options: { little?: boolean; orientation?: number } = {}): Uint8Array {
  const little = options.little ?? false;
  const tiff = new Uint8Array(256);
  const v = new DataView(tiff.buffer);
  const w16 = (at: number, x: number) => v.setUint16(at, x, little);
  const w32 = (at: number, x: number) => v.setUint32(at, x, little);
  tiff.set(little ? [0x49, 0x49, 0x2a, 0x00] : [0x4d, 0x4d, 0x00, 0x2a]);
  w32(4, 8);
  // IFD0 at 8: 3 entries (Make, Orientation, GPS pointer) = 2 + 36 + 4 = 42 bytes → data at 50.
  const make = ascii(`${CAMERA_MARKER}\0`);
  w16(8, 3);
  const entry = (i: number, tag: number, type: number, count: number, value: number) => {
    const at = 10 + i * 12;
    w16(at, tag);
    w16(at + 2, type);
    w32(at + 4, count);
    if (type === 3 && count === 1) w16(at + 8, value);
    else w32(at + 8, value);
  };
  entry(0, 0x010f, 2, make.length, 50);
  entry(1, 0x0112, 3, 1, options.orientation ?? 1);
  const gpsIfd = 50 + make.length + (make.length % 2);
  entry(2, 0x8825, 4, 1, gpsIfd);
  w32(46, 0);
  tiff.set(make, 50);
  // GPS IFD: LatitudeRef "N", Latitude 51/1 30/1 2/1, ProcessingMethod (UNDEFINED) with the marker.
  const method = concat(ascii('ASCII\0\0\0'), ascii(GPS_MARKER));
  w16(gpsIfd, 3);
  const g = (i: number, tag: number, type: number, count: number, value: number | Uint8Array) => {
    const at = gpsIfd + 2 + i * 12;
    w16(at, tag);
    w16(at + 2, type);
    w32(at + 4, count);
    if (typeof value === 'number') w32(at + 8, value);
    else tiff.set(value, at + 8);
  };
  const gpsData = gpsIfd + 2 + 36 + 4;
  g(0, 0x0001, 2, 2, ascii('N\0\0\0'));
  g(1, 0x0002, 5, 3, gpsData);
  g(2, 0x001b, 7, method.length, gpsData + 24);
  w32(gpsIfd + 2 + 36, 0);
  [51, 1, 30, 1, 2, 1].forEach((x, i) => w32(gpsData + i * 4, x));
  tiff.set(method, gpsData + 24);
  return concat(ascii('Exif\0\0'), tiff.subarray(0, gpsData + 24 + method.length));
}

/** The same as an APP1 segment. */
export const exifSegment = (options: { little?: boolean; orientation?: number } = {}) => segment(0xe1, exifBody(options));

/** Inserts segments right after a JPEG's SOI (what a camera does with its APPn segments). */
export const insertAfterSoi = (jpeg: Uint8Array, ...segments: Uint8Array[]) => concat(jpeg.subarray(0, 2), ...segments, jpeg.subarray(2));

/**
 * A structurally complete baseline JPEG (not decodable: the tables and scan are placeholders)
 * with every kind of segment the stripper meets.
 */
export function structuralJpeg(options: { jfifThumbnail?: boolean; orientation?: number; trailing?: boolean; fill?: boolean } = {}): Uint8Array {
  const jfif = options.jfifThumbnail
    ? concat(ascii('JFIF\0'), new Uint8Array([1, 1, 0, 0, 1, 0, 1, 2, 1]), new Uint8Array(6).fill(0x77))
    : concat(ascii('JFIF\0'), new Uint8Array([1, 1, 0, 0, 1, 0, 1, 0, 0]));
  const xmp = concat(ascii('http://ns.adobe.com/xap/1.0/\0'), ascii('<x:xmpmeta>XMPMARK GPS</x:xmpmeta>'));
  const iptc = concat(ascii('Photoshop 3.0\0'), ascii('IPTCMARK'));
  const icc = concat(ascii('ICC_PROFILE\0'), new Uint8Array([1, 1]), new Uint8Array(20).fill(0x11));
  const adobe = concat(ascii('Adobe'), new Uint8Array([0, 100, 0, 0, 0, 0, 1]));
  const dqt = segment(0xdb, new Uint8Array(65).fill(1));
  const sof = segment(0xc0, new Uint8Array([8, 0, 8, 0, 8, 1, 1, 0x11, 0]));
  const dht = segment(0xc4, new Uint8Array(29).fill(0));
  const sos = segment(0xda, new Uint8Array([1, 1, 0, 0, 63, 0]));
  // Entropy-coded data with a stuffed 0xFF00, a restart marker and a 0xFF right before the next marker.
  const scan1 = new Uint8Array([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0x78]);
  const scan2 = new Uint8Array([0x9a, 0xbc]);
  const fill = options.fill ? new Uint8Array([0xff, 0xff]) : new Uint8Array(0);
  return concat(
    new Uint8Array([0xff, 0xd8]),
    segment(0xe0, jfif),
    exifSegment({ orientation: options.orientation ?? 1 }),
    segment(0xe1, xmp),
    segment(0xe2, icc),
    segment(0xed, iptc),
    segment(0xee, adobe),
    segment(0xfe, ascii('COMMENTMARK')),
    fill,
    dqt, sof, dht, sos, scan1,
    // A second scan with a table and an APPn between the scans (progressive files have these).
    dht, segment(0xeb, ascii('JUMBFMARK')), sos, scan2,
    new Uint8Array([0xff, 0xd9]),
    options.trailing ? ascii('TRAILERMARK appended video') : new Uint8Array(0),
  );
}

// ---- PNG ------------------------------------------------------------------------------------

export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export function chunk(type: string, data: Uint8Array): Uint8Array {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, data.length);
  head.set(ascii(type), 4);
  const crc = new Uint8Array(4);
  new DataView(crc.buffer).setUint32(0, crc32(concat(ascii(type), data)));
  return concat(head, data, crc);
}

/** A valid, decodable 4×4 RGBA PNG; with `metadata`, carries tEXt, zTXt, iTXt, eXIf and tIME. */
export function png(options: { metadata?: boolean; trailing?: boolean } = {}): { bytes: Uint8Array; pixels: Uint8Array } {
  const width = 4;
  const height = 4;
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, width);
  v.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = new Uint8Array(height * (1 + width * 4));
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([40 * x, 40 * y, 200, 255], y * (1 + width * 4) + 1 + x * 4);
  const meta = options.metadata
    ? [
      chunk('tEXt', ascii('Comment\0TEXTMARK GPS 51.5N')),
      chunk('zTXt', concat(ascii('Author\0\0'), deflateSync(ascii('ZTXTMARK')))),
      chunk('iTXt', ascii('XML:com.adobe.xmp\0\0\0\0\0ITXTMARK')),
      chunk('eXIf', exifBody({ little: true }).subarray(6)),
      chunk('tIME', new Uint8Array([0x07, 0xea, 11, 28, 16, 5, 0])),
      chunk('prVt', ascii('PRIVATEMARK')),
    ]
    : [];
  const bytes = concat(
    PNG_SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('sRGB', new Uint8Array([0])),
    ...meta.slice(0, 3),
    chunk('IDAT', deflateSync(raw)),
    ...meta.slice(3),
    chunk('IEND', new Uint8Array(0)),
    options.trailing ? ascii('PNGTRAILERMARK') : new Uint8Array(0),
  );
  return { bytes, pixels: raw };
}

/** True when `needle` occurs in `hay`. */
export function contains(hay: Uint8Array, needle: Uint8Array | string): boolean {
  const n = typeof needle === 'string' ? ascii(needle) : needle;
  outer: for (let i = 0; i + n.length <= hay.length; i++) {
    for (let j = 0; j < n.length; j++) if (hay[i + j] !== n[j]) continue outer;
    return true;
  }
  return false;
}
