// Removes hidden metadata (location, camera, time, comments, thumbnails) from JPEG and PNG images
// before they are encrypted. It works on byte ranges: the result is a list of parts of the
// original file to keep (plus a few small literal segments), read back one slice at a time, so a
// large image is never copied whole. Pure: the caller supplies `read(start, end)`.

/** Random access to the file's bytes: a File's slice in the browser, a buffer in tests. */
export interface ByteSource {
  readonly size: number;
  read(start: number, end: number): Promise<Uint8Array>;
}

/** Either a range of the original file or a small literal (a rewritten segment). */
export type Part = { start: number; end: number } | { bytes: Uint8Array };

export interface StripPlan {
  kind: 'jpeg' | 'png' | 'other';
  parts: Part[];
  /** Bytes of the cleaned file. */
  size: number;
  /** What was removed, for the page and the tests: `APP1 Exif`, `tEXt`, `trailing data`, … */
  removed: string[];
}

export class StripError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StripError';
  }
}

/** The whole file, untouched. */
export function keepAll(size: number): StripPlan {
  return { kind: 'other', parts: size > 0 ? [{ start: 0, end: size }] : [], size, removed: [] };
}

/** Recognises the type by its first bytes, never by its name or declared MIME type. */
export async function sniff(src: ByteSource): Promise<'jpeg' | 'png' | 'other'> {
  const head = await src.read(0, Math.min(8, src.size));
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length === 8 && PNG_SIGNATURE.every((b, i) => head[i] === b)) return 'png';
  return 'other';
}

/** Plans the cleaned file; a JPEG or PNG that cannot be parsed throws StripError (never sent half-cleaned). */
export async function planStrip(src: ByteSource): Promise<StripPlan> {
  const kind = await sniff(src);
  if (kind === 'jpeg') return planJpeg(src);
  if (kind === 'png') return planPng(src);
  return keepAll(src.size);
}

class PlanBuilder {
  readonly parts: Part[] = [];
  readonly removed: string[] = [];
  size = 0;
  keep(start: number, end: number): void {
    if (end <= start) return;
    const last = this.parts[this.parts.length - 1];
    if (last && 'end' in last && last.end === start) last.end = end;
    else this.parts.push({ start, end });
    this.size += end - start;
  }
  literal(bytes: Uint8Array): void {
    this.parts.push({ bytes });
    this.size += bytes.length;
  }
  drop(what: string): void {
    if (!this.removed.includes(what)) this.removed.push(what);
  }
}

const u16 = (b: Uint8Array, at: number): number => (b[at]! << 8) | b[at + 1]!;
const u32 = (b: Uint8Array, at: number): number => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const ascii = (b: Uint8Array, from: number, to: number): string => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

async function readExact(src: ByteSource, start: number, end: number): Promise<Uint8Array> {
  if (end > src.size) throw new StripError('the image ends in the middle of a segment');
  return src.read(start, end);
}

// ---- JPEG -----------------------------------------------------------------------------------

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const COM = 0xfe;
/** How far into an APPn segment we look to name it ("Exif\0", "ICC_PROFILE\0", …). */
const APP_PEEK = 32;
/** Entropy-coded data is scanned for the next marker this many bytes at a time. */
const SCAN_BLOCK = 1 << 16;

/**
 * Keeps what a decoder needs: SOI, tables, frame and scan headers, entropy-coded data, restart
 * markers, EOI; APP0 JFIF (without its thumbnail), APP2 ICC profile (colours) and APP14 Adobe
 * (colour transform). Drops APP1 (Exif, XMP), APP13 (IPTC), every other APPn (maker notes, MPF
 * previews, C2PA), COM, and anything after EOI (appended videos, vendor trailers). When the Exif
 * data said how to rotate the picture, a minimal Exif segment with only that orientation is kept,
 * so the photo is not shown on its side.
 */
async function planJpeg(src: ByteSource): Promise<StripPlan> {
  const out = new PlanBuilder();
  out.keep(0, 2); // SOI
  let pos = 2;
  for (;;) {
    if (pos + 2 > src.size) throw new StripError('the image ends before its end marker');
    let head = await src.read(pos, Math.min(pos + 4 + APP_PEEK, src.size));
    if (head[0] !== 0xff) throw new StripError(`no JPEG marker at byte ${pos}`);
    if (head[1] === 0xff) {
      // Fill bytes (0xFF 0xFF …) may precede a marker: skip to the last 0xFF before it.
      let at = pos + 1;
      while (at + 1 < src.size && (await src.read(at + 1, at + 2))[0] === 0xff) at++;
      pos = at;
      head = await src.read(pos, Math.min(pos + 4 + APP_PEEK, src.size));
    }
    const marker = head[1];
    if (marker === undefined) throw new StripError('the image ends before its end marker');
    if (marker === EOI) {
      out.keep(pos, pos + 2);
      if (pos + 2 < src.size) out.drop('data after the end of the image');
      break;
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === SOI) {
      // Standalone markers (RSTn, TEM) have no length; a second SOI is malformed.
      if (marker === SOI) throw new StripError('a second start-of-image marker');
      out.keep(pos, pos + 2);
      pos += 2;
      continue;
    }
    if (head.length < 4) throw new StripError('the image ends in the middle of a segment');
    const length = u16(head, 2);
    if (length < 2) throw new StripError(`a segment with an impossible length at byte ${pos}`);
    const end = pos + 2 + length;
    if (end > src.size) throw new StripError('the image ends in the middle of a segment');
    const id = ascii(head, 4, 4 + APP_PEEK);
    if (marker >= 0xe0 && marker <= 0xef) {
      const n = marker - 0xe0;
      if (n === 0 && id.startsWith('JFIF\0')) {
        if (length === 16) out.keep(pos, end);
        else {
          // A JFIF thumbnail is a small copy of the picture, possibly from before it was cropped.
          const jfif = await readExact(src, pos, pos + 18);
          const clean = new Uint8Array(18);
          clean.set(jfif.subarray(0, 16));
          clean[3] = 16; // length
          clean[2] = 0;
          out.literal(clean);
          out.drop('APP0 JFIF thumbnail');
        }
      } else if ((n === 2 && id.startsWith('ICC_PROFILE\0')) || (n === 14 && id.startsWith('Adobe'))) {
        out.keep(pos, end);
      } else {
        const name = n === 1 && id.startsWith('Exif\0') ? 'Exif' : n === 1 && id.startsWith('http://ns.adobe.com/xap/') ? 'XMP' : appName(id);
        out.drop(`APP${n}${name ? ` ${name}` : ''}`);
        if (name === 'Exif') {
          const orientation = exifOrientation(await src.read(pos + 4, end));
          if (orientation !== undefined && orientation !== 1 && !out.parts.some((p) => 'bytes' in p && p.bytes[1] === 0xe1)) {
            out.literal(orientationSegment(orientation));
          }
        }
      }
      pos = end;
      continue;
    }
    if (marker === COM) {
      out.drop('COM comment');
      pos = end;
      continue;
    }
    out.keep(pos, end);
    pos = end;
    if (marker === SOS) {
      const next = await nextMarker(src, pos);
      out.keep(pos, next);
      pos = next;
    }
  }
  return { kind: 'jpeg', parts: out.parts, size: out.size, removed: out.removed };
}

/** A printable name for an APPn segment's identifier, or '' when it has none. */
function appName(id: string): string {
  const name = id.split('\0')[0]!;
  return /^[\x20-\x7e]{2,24}$/.test(name) ? name : '';
}

/** The offset of the first marker after entropy-coded data (0xFF then not 0x00, RSTn or fill). */
async function nextMarker(src: ByteSource, from: number): Promise<number> {
  let at = from;
  while (at < src.size) {
    // One extra byte, so that a 0xFF at the end of a block can be judged by what follows it.
    const block = await src.read(at, Math.min(at + SCAN_BLOCK + 1, src.size));
    const limit = Math.min(block.length - 1, SCAN_BLOCK);
    for (let i = 0; i < limit; i++) {
      if (block[i] !== 0xff) continue;
      const b = block[i + 1]!;
      if (b !== 0x00 && b !== 0xff && !(b >= 0xd0 && b <= 0xd7)) return at + i;
    }
    if (block.length <= 1) break;
    at += limit;
  }
  throw new StripError('the image ends before its end marker');
}

/** The Exif Orientation tag (0x0112) of IFD0, from an APP1 body starting at "Exif\0\0". */
export function exifOrientation(body: Uint8Array): number | undefined {
  const tiff = 6;
  if (body.length < tiff + 8) return undefined;
  const little = body[tiff] === 0x49 && body[tiff + 1] === 0x49;
  const big = body[tiff] === 0x4d && body[tiff + 1] === 0x4d;
  if (!little && !big) return undefined;
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const r16 = (at: number) => view.getUint16(at, little);
  const ifd = tiff + view.getUint32(tiff + 4, little);
  if (ifd + 2 > body.length) return undefined;
  const count = r16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > body.length) return undefined;
    if (r16(entry) === 0x0112 && r16(entry + 2) === 3) {
      const value = r16(entry + 8);
      return value >= 1 && value <= 8 ? value : undefined;
    }
  }
  return undefined;
}

/** A 34-byte APP1 Exif segment holding nothing but the Orientation tag. */
export function orientationSegment(orientation: number): Uint8Array {
  const seg = new Uint8Array(36);
  const view = new DataView(seg.buffer);
  seg.set([0xff, 0xe1]);
  view.setUint16(2, 34);
  seg.set([0x45, 0x78, 0x69, 0x66, 0, 0], 4); // "Exif\0\0"
  seg.set([0x4d, 0x4d, 0x00, 0x2a], 10); // big-endian TIFF header
  view.setUint32(14, 8); // IFD0 right after the header
  view.setUint16(18, 1); // one entry
  view.setUint16(20, 0x0112); // Orientation
  view.setUint16(22, 3); // SHORT
  view.setUint32(24, 1); // count
  view.setUint16(28, orientation);
  view.setUint32(32, 0); // no next IFD
  return seg;
}

// ---- PNG ------------------------------------------------------------------------------------

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Ancillary chunks a viewer needs to show the picture as it was: transparency, colour, gamma,
 * pixel size and animation. Every other ancillary chunk goes (tEXt, zTXt, iTXt, eXIf, tIME, and
 * private ones such as C2PA's caBX); critical chunks (upper-case first letter) always stay.
 */
const PNG_KEEP = new Set(['tRNS', 'gAMA', 'cHRM', 'sRGB', 'iCCP', 'sBIT', 'bKGD', 'pHYs', 'hIST', 'sPLT', 'acTL', 'fcTL', 'fdAT', 'cICP', 'mDCv', 'cLLi']);

async function planPng(src: ByteSource): Promise<StripPlan> {
  const out = new PlanBuilder();
  out.keep(0, 8);
  let pos = 8;
  for (;;) {
    const head = await readExact(src, pos, pos + 8);
    const length = u32(head, 0);
    const type = ascii(head, 4, 8);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new StripError(`no PNG chunk at byte ${pos}`);
    const end = pos + 12 + length;
    if (end > src.size) throw new StripError('the image ends in the middle of a chunk');
    const critical = type.charCodeAt(0) < 0x61;
    if (critical || PNG_KEEP.has(type)) out.keep(pos, end);
    else out.drop(type);
    pos = end;
    if (type === 'IEND') {
      if (pos < src.size) out.drop('data after the end of the image');
      break;
    }
  }
  return { kind: 'png', parts: out.parts, size: out.size, removed: out.removed };
}

// ---- reading a plan back ------------------------------------------------------------------------

/**
 * Yields the cleaned file in pieces of exactly `chunkSize` bytes (the last may be shorter; an empty
 * file yields one empty piece). Reads the source `readSize` bytes at a time, so memory stays at
 * one read block and one chunk whatever the file's size.
 */
export async function* readPlan(src: ByteSource, plan: StripPlan, chunkSize: number, readSize = 1 << 20): AsyncGenerator<Uint8Array> {
  let chunk = new Uint8Array(Math.min(chunkSize, plan.size));
  let filled = 0;
  let emitted = 0;
  const take = function* (bytes: Uint8Array): Generator<Uint8Array> {
    let at = 0;
    while (at < bytes.length) {
      const n = Math.min(chunk.length - filled, bytes.length - at);
      chunk.set(bytes.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === chunk.length) {
        const full = chunk;
        emitted += full.length;
        chunk = new Uint8Array(Math.min(chunkSize, plan.size - emitted));
        filled = 0;
        yield full;
      }
    }
  };
  if (plan.size === 0) {
    yield new Uint8Array(0);
    return;
  }
  for (const part of plan.parts) {
    if ('bytes' in part) {
      yield* take(part.bytes);
      continue;
    }
    for (let at = part.start; at < part.end; at += readSize) {
      const bytes = await src.read(at, Math.min(at + readSize, part.end));
      if (bytes.length !== Math.min(readSize, part.end - at)) throw new StripError('the file changed while it was being read');
      yield* take(bytes);
    }
  }
}

/** A ByteSource over bytes in memory (tests, and small literals). */
export const bytesSource = (bytes: Uint8Array): ByteSource => ({
  size: bytes.length,
  read: async (start, end) => bytes.subarray(start, end),
});

/** A ByteSource over a Blob or File: one slice per read, nothing else held. */
export const blobSource = (blob: Blob): ByteSource => ({
  size: blob.size,
  read: async (start, end) => new Uint8Array(await blob.slice(start, end).arrayBuffer()),
});
