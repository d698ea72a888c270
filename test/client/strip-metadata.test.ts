// Metadata stripping: JPEG segments and PNG chunks removed, what decoding needs kept, by ranges.
import t, { type Test } from 'tap';
import { inflateSync } from 'node:zlib';
import {
  blobSource, bytesSource, exifOrientation, keepAll, orientationSegment, planStrip, readPlan, sniff, StripError,
  type ByteSource, type StripPlan,
} from '../../client/report/worker/strip-metadata.js';
import {
  CAMERA_MARKER, chunk, concat, contains, exifBody, exifSegment, GPS_MARKER, insertAfterSoi, png, PNG_SIGNATURE, segment, structuralJpeg,
} from './image-fixtures.js';

async function apply(src: ByteSource, plan: StripPlan, chunkSize = 65536, readSize?: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  for await (const p of readPlan(src, plan, chunkSize, readSize)) pieces.push(p);
  return concat(...pieces);
}

async function strip(bytes: Uint8Array, t: Test): Promise<{ plan: StripPlan; out: Uint8Array }> {
  const src = bytesSource(bytes);
  const plan = await planStrip(src);
  const out = await apply(src, plan);
  t.equal(out.length, plan.size, 'the plan knows the cleaned size');
  return { plan, out };
}

/** JPEG markers in order (segment walk; entropy data skipped as the stripper does). */
function markers(jpeg: Uint8Array): string[] {
  const names: string[] = [];
  let i = 2;
  while (i < jpeg.length) {
    const m = jpeg[i + 1]!;
    names.push(m.toString(16));
    if (m === 0xd9) break;
    const len = (jpeg[i + 2]! << 8) | jpeg[i + 3]!;
    i += 2 + len;
    if (m === 0xda) {
      while (!(jpeg[i] === 0xff && jpeg[i + 1] !== 0 && !(jpeg[i + 1]! >= 0xd0 && jpeg[i + 1]! <= 0xd7))) i++;
    }
  }
  return names;
}

t.test('JPEG: Exif with GPS, XMP, IPTC, comments, APPn between scans and trailing data go', async (t) => {
  const jpeg = structuralJpeg({ trailing: true });
  t.ok(contains(jpeg, GPS_MARKER) && contains(jpeg, CAMERA_MARKER), 'the fixture carries GPS and camera data');
  const { plan, out } = await strip(jpeg, t);
  t.equal(plan.kind, 'jpeg');
  for (const mark of ['Exif', GPS_MARKER, CAMERA_MARKER, 'XMPMARK', 'IPTCMARK', 'COMMENTMARK', 'JUMBFMARK', 'TRAILERMARK']) {
    t.notOk(contains(out, mark), `no ${mark}`);
  }
  t.same(plan.removed, ['APP1 Exif', 'APP1 XMP', 'APP13 Photoshop 3.0', 'COM comment', 'APP11', 'data after the end of the image']);
  t.same(markers(out), ['e0', 'e2', 'ee', 'db', 'c0', 'c4', 'da', 'c4', 'da', 'd9'], 'JFIF, ICC, Adobe, tables, frame, scans and EOI stay');
  t.ok(contains(out, new Uint8Array([0x12, 0xff, 0x00, 0x34, 0xff, 0xd0, 0x56, 0x78])), 'entropy data with stuffing and restarts intact');
  t.ok(plan.parts.every((p) => 'start' in p), 'nothing rewritten: ranges of the original only');
  t.ok(plan.parts.length <= 6, 'adjacent ranges merge');
});

t.test('JPEG: a rotated photo keeps only its orientation', async (t) => {
  const { plan, out } = await strip(structuralJpeg({ orientation: 6 }), t);
  t.notOk(contains(out, GPS_MARKER));
  t.notOk(contains(out, CAMERA_MARKER));
  t.ok(contains(out, orientationSegment(6)), 'a minimal Exif segment with Orientation = 6');
  t.equal(plan.parts.filter((p) => 'bytes' in p).length, 1);
  t.equal(exifOrientation(orientationSegment(6).subarray(4)), 6, 'the minimal segment reads back');
  // Two Exif segments: still one orientation segment.
  const twice = insertAfterSoi(structuralJpeg({ orientation: 3 }), exifSegment({ orientation: 3 }));
  const again = await strip(twice, t);
  t.equal(again.plan.parts.filter((p) => 'bytes' in p).length, 1);
});

t.test('JPEG: a JFIF thumbnail is dropped and the APP0 rewritten without it', async (t) => {
  const { plan, out } = await strip(structuralJpeg({ jfifThumbnail: true }), t);
  t.ok(plan.removed.includes('APP0 JFIF thumbnail'));
  t.same([...out.subarray(2, 20)], [0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  t.notOk(contains(out, new Uint8Array(6).fill(0x77)));
});

t.test('JPEG: fill bytes before a marker, restart and TEM markers', async (t) => {
  const { out } = await strip(structuralJpeg({ fill: true }), t);
  t.notOk(contains(out, GPS_MARKER));
  t.ok(contains(out, new Uint8Array([0xff, 0xdb])));
  const tem = concat(new Uint8Array([0xff, 0xd8, 0xff, 0x01, 0xff, 0xd3]), exifSegment(), new Uint8Array([0xff, 0xd9]));
  t.same([...(await strip(tem, t)).out], [0xff, 0xd8, 0xff, 0x01, 0xff, 0xd3, 0xff, 0xd9]);
});

t.test('JPEG: malformed files are refused, never sent half-cleaned', async (t) => {
  const good = structuralJpeg();
  const cases: [string, Uint8Array][] = [
    ['truncated in a segment', good.subarray(0, 30)],
    ['truncated in the scan', good.subarray(0, good.length - 6)],
    ['no end marker', new Uint8Array([0xff, 0xd8, 0xff])],
    ['only SOI', new Uint8Array([0xff, 0xd8, 0xff, 0xe0])],
    ['garbage after SOI', new Uint8Array([0xff, 0xd8, 0xff, 0x00, 0x12, 0x34, 0x56])],
    ['not a marker', concat(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]), new Uint8Array([0x12, 0x34, 0xff, 0xd9]))],
    ['impossible length', new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0x00, 0x01, 0xff, 0xd9])],
    ['second SOI', new Uint8Array([0xff, 0xd8, 0xff, 0xd8, 0xff, 0xd9])],
    ['segment past the end', new Uint8Array([0xff, 0xd8, 0xff, 0xdb, 0x10, 0x00, 0xff, 0xd9])],
    ['fill then end', new Uint8Array([0xff, 0xd8, 0xff, 0xff, 0xff])],
    ['thumbnail header cut', concat(new Uint8Array([0xff, 0xd8]), segment(0xe0, concat(new TextEncoder().encode('JFIF\0'))), new Uint8Array([0xff, 0xd9]))],
  ];
  for (const [name, bytes] of cases) {
    await t.rejects(planStrip(bytesSource(bytes)), StripError, name);
  }
});

t.test('Exif orientation: both byte orders, absent and broken', async (t) => {
  t.equal(exifOrientation(exifBody({ orientation: 8 })), 8, 'big-endian');
  t.equal(exifOrientation(exifBody({ little: true, orientation: 5 })), 5, 'little-endian');
  t.equal(exifOrientation(exifBody({ orientation: 9 })), undefined, 'out of range');
  t.equal(exifOrientation(new Uint8Array(10)), undefined, 'too short');
  const notTiff = exifBody();
  notTiff[6] = 0x41;
  t.equal(exifOrientation(notTiff), undefined, 'not a TIFF header');
  const farIfd = exifBody();
  new DataView(farIfd.buffer).setUint32(10, 5000);
  t.equal(exifOrientation(farIfd), undefined, 'IFD past the end');
  const manyEntries = exifBody();
  new DataView(manyEntries.buffer).setUint16(14, 500);
  new DataView(manyEntries.buffer).setUint16(14 + 2 + 12, 0x0113);
  t.equal(exifOrientation(manyEntries), undefined, 'entries past the end');
  const noTag = exifBody();
  new DataView(noTag.buffer).setUint16(14 + 2 + 12, 0x0113);
  t.equal(exifOrientation(noTag), undefined, 'no orientation tag');
});

t.test('PNG: text, eXIf, tIME and private chunks go; the picture decodes the same', async (t) => {
  const { bytes, pixels } = png({ metadata: true, trailing: true });
  const { plan, out } = await strip(bytes, t);
  t.equal(plan.kind, 'png');
  t.same(plan.removed, ['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME', 'prVt', 'data after the end of the image']);
  for (const mark of ['TEXTMARK', 'ITXTMARK', 'PRIVATEMARK', 'PNGTRAILERMARK', GPS_MARKER, CAMERA_MARKER, 'eXIf', 'tIME']) {
    t.notOk(contains(out, mark), `no ${mark}`);
  }
  t.same(out, png().bytes, 'exactly the PNG without the metadata');
  // Decode the IDAT to be sure the picture survived.
  const idatAt = [...out].findIndex((_, i) => out[i] === 0x49 && out[i + 1] === 0x44 && out[i + 2] === 0x41 && out[i + 3] === 0x54);
  const len = new DataView(out.buffer, out.byteOffset).getUint32(idatAt - 4);
  t.same(new Uint8Array(inflateSync(out.subarray(idatAt + 4, idatAt + 4 + len))), pixels);
});

t.test('PNG: malformed files are refused', async (t) => {
  const { bytes } = png();
  await t.rejects(planStrip(bytesSource(bytes.subarray(0, bytes.length - 5))), StripError, 'truncated before IEND');
  await t.rejects(planStrip(bytesSource(concat(PNG_SIGNATURE, chunk('IHDR', new Uint8Array(13)).subarray(0, 10)))), StripError, 'chunk cut');
  const bad = concat(PNG_SIGNATURE, new Uint8Array([0, 0, 0, 0, 0x31, 0x32, 0x33, 0x34, 0, 0, 0, 0]));
  await t.rejects(planStrip(bytesSource(bad)), StripError, 'not a chunk type');
});

t.test('other types are kept whole; sniffing reads content, not names', async (t) => {
  const pdf = new TextEncoder().encode('%PDF-1.7 GPS in a PDF stays: the page warns about it');
  const { plan, out } = await strip(pdf, t);
  t.equal(plan.kind, 'other');
  t.same(out, pdf);
  t.equal(await sniff(bytesSource(new Uint8Array([0xff, 0xd8]))), 'other', 'two bytes are not a JPEG');
  t.equal(await sniff(bytesSource(PNG_SIGNATURE.subarray(0, 7))), 'other');
  t.same(keepAll(0), { kind: 'other', parts: [], size: 0, removed: [] });
});

t.test('readPlan: exact chunks across ranges and literals, small reads, empty files', async (t) => {
  const data = new Uint8Array(1000).map((_, i) => i & 0xff);
  const src = bytesSource(data);
  const plan: StripPlan = {
    kind: 'jpeg', size: 0, removed: [],
    parts: [{ start: 0, end: 100 }, { bytes: new Uint8Array([1, 2, 3]) }, { start: 500, end: 1000 }],
  };
  plan.size = 603;
  const sizes: number[] = [];
  const pieces: Uint8Array[] = [];
  for await (const p of readPlan(src, plan, 64, 37)) {
    sizes.push(p.length);
    pieces.push(p);
  }
  t.same(sizes, [...Array(9).fill(64), 603 - 9 * 64]);
  t.same(concat(...pieces), concat(data.subarray(0, 100), new Uint8Array([1, 2, 3]), data.subarray(500)));
  t.same(await apply(src, { ...plan, parts: [{ start: 0, end: 128 }], size: 128 }, 64), data.subarray(0, 128), 'exact multiple');
  const empty: Uint8Array[] = [];
  for await (const p of readPlan(src, keepAll(0), 64)) empty.push(p);
  t.same(empty.map((p) => p.length), [0], 'an empty file is one empty piece');
  const shrunk: ByteSource = { size: 1000, read: async (s, e) => data.subarray(s, Math.min(e, s + 10)) };
  await t.rejects(apply(shrunk, keepAll(1000)), StripError, 'a file that changed under the reader');
});

t.test('blobSource reads slices of a Blob', async (t) => {
  const { bytes } = png({ metadata: true });
  const src = blobSource(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  t.equal(src.size, bytes.length);
  const plan = await planStrip(src);
  t.same(await apply(src, plan), png().bytes);
});
