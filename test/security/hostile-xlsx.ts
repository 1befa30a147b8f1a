import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/*
 * Writes hostile .xlsx files for the security tests: a tiny ZIP writer whose entries are made of
 * pieces repeated N times. Each piece is deflated once as a self-contained block (full flush), and the
 * block is repeated, so a 1.2 GB worksheet costs the test a few milliseconds and a few kB.
 */

export interface Piece {
  text: string;
  times?: number;
}

export interface Entry {
  name: string;
  pieces: Piece[];
  /** Claim this uncompressed size in the headers instead of the real one (a lying zip bomb). */
  claimSize?: number;
  /** Stored, not deflated (ODF's "mimetype" must be). */
  stored?: boolean;
}

/** The empty final block with fixed Huffman codes: ends a deflate stream made of flushed blocks. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

const CRC_UP_TO = 600 * 1024 * 1024;

function deflatePieces(pieces: Piece[]): { data: Buffer; crc: number; size: number } {
  const out: Buffer[] = [];
  let crc = 0;
  let size = 0;
  for (const { text, times = 1 } of pieces) {
    const raw = Buffer.from(text, 'utf8');
    const block = deflateRawSync(raw, { level: 9, finishFlush: constants.Z_FULL_FLUSH });
    for (let i = 0; i < times; i++) {
      out.push(block);
      // Past 600 MB the CRC is left wrong: such a part is refused long before its end is checked
      // (yauzl does not check CRCs at all), and computing it would cost the test seconds.
      if (size < CRC_UP_TO) crc = crc32(raw, crc);
      size += raw.length;
    }
  }
  out.push(FINAL_BLOCK);
  return { data: Buffer.concat(out), crc, size };
}

function storePieces(pieces: Piece[]): { data: Buffer; crc: number; size: number } {
  const data = Buffer.from(pieces.map((p) => p.text.repeat(p.times ?? 1)).join(''), 'utf8');
  return { data, crc: crc32(data), size: data.length };
}

export function zipOf(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const { data, crc, size } = entry.stored ? storePieces(entry.pieces) : deflatePieces(entry.pieces);
    const method = entry.stored ? 0 : 8;
    const usize = entry.claimSize ?? size;
    if (usize > 0xffffffff || data.length > 0xffffffff) throw new Error('zip64 is not written by this helper');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(usize, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, data);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(method, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(usize, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    central.push(dir, name);
    offset += 30 + name.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

export const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** A workbook of one sheet; the worksheet (and shared strings, when given) are made of pieces. */
export function workbook(sheet: Piece[], sharedStrings?: Piece[], extra: Entry[] = [], sheetClaimSize?: number): Buffer {
  const entries: Entry[] = [
    {
      name: '[Content_Types].xml',
      pieces: [{ text: `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>` }],
    },
    { name: '_rels/.rels', pieces: [{ text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>` }] },
    { name: 'xl/workbook.xml', pieces: [{ text: `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>` }] },
    {
      name: 'xl/_rels/workbook.xml.rels',
      pieces: [{ text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/>${sharedStrings ? `<Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/>` : ''}</Relationships>` }],
    },
    { name: 'xl/worksheets/sheet1.xml', pieces: sheet, ...(sheetClaimSize !== undefined ? { claimSize: sheetClaimSize } : {}) },
    ...(sharedStrings ? [{ name: 'xl/sharedStrings.xml', pieces: sharedStrings }] : []),
    ...extra,
  ];
  return zipOf(entries);
}

const SHEET_START = `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>`;
const SHEET_END = '</sheetData></worksheet>';
const HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Qty</t></is></c></row>';

/** Pieces of a worksheet: the header row, `rows` pieces, the end. */
export const sheetOf = (...rows: Piece[]): Piece[] => [{ text: SHEET_START + HEADER_ROW }, ...rows, { text: SHEET_END }];

const sst = (...items: Piece[]): Piece[] => [{ text: `<?xml version="1.0"?><sst xmlns="${NS}">` }, ...items, { text: '</sst>' }];

const MB = 1024 * 1024;
const A_MB = 'a'.repeat(MB);

/** Every hostile file, by name (what each one is, in its name), made when called. */
export function hostileFiles(): Record<string, () => Buffer> {
  const firstCellIsString0 = sheetOf({ text: '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1</v></c></row>' });
  const deep = (open: string, close: string, n: number) => [{ text: open.repeat(n) }, { text: close.repeat(n) }];
  const files: Record<string, () => Buffer> = {
    // One 8 MB shared string (SheetJS's limit is Excel's, 32,767 characters).
    'one-8mb-shared-string.xlsx': () => workbook(firstCellIsString0, sst({ text: '<si><t>' }, { text: A_MB, times: 8 }, { text: '</t></si>' })),
    // 8,000 levels of nesting (63 kB of XML), in a shared string, a cell and before the sheet's data.
    'nested-in-shared-string.xlsx': () => workbook(firstCellIsString0, sst({ text: '<si>' }, ...deep('<r>', '</r>', 8_000), { text: '<t>x</t></si>' })),
    'nested-rph-in-shared-string.xlsx': () => workbook(firstCellIsString0, sst({ text: '<si><t>x</t>' }, { text: '<rPh>'.repeat(12_600) }, { text: '</si>' })),
    'nested-in-cell.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="inlineStr"><is>' }, ...deep('<r>', '</r>', 8_000), { text: '<t>x</t></is></c></row>' })),
    'nested-before-sheet-data.xlsx': () => workbook([{ text: `<?xml version="1.0"?><worksheet xmlns="${NS}">` }, ...deep('<a>', '</a>', 8_000), { text: `<sheetData>${HEADER_ROW}${SHEET_END}` }]),
    'unclosed-nesting.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="inlineStr"><is>' }, { text: '<r><t>'.repeat(10_000) })),
    // A small file holding one 1.2 GB string in a cell.
    'cell-of-1.2gb.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="inlineStr"><is><t>' }, { text: A_MB, times: 1_200 }, { text: '</t></is></c></row>' })),
    'value-of-1.2gb.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="str"><v>' }, { text: A_MB, times: 1_200 }, { text: '</v></c></row>' })),
    // 40,000 shared strings of 30,000 characters (1.2 G characters).
    'many-30k-strings.xlsx': () => workbook(firstCellIsString0, sst({ text: `<si><t>${'b'.repeat(30_000)}</t></si>`.repeat(35), times: 1_150 })),
    // Under the package's cap (so the streaming bounds are what stops them): one 400 MB cell, 400 MB of
    // shared strings of 30,000 characters, 480 MB of blank rows, a part inflating far past its declared size.
    'cell-of-400mb.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="inlineStr"><is><t>' }, { text: A_MB, times: 400 }, { text: '</t></is></c></row>' })),
    'shared-strings-of-400mb.xlsx': () => workbook(firstCellIsString0, sst({ text: `<si><t>${'b'.repeat(30_000)}</t></si>`.repeat(35), times: 380 })),
    'rows-of-blanks-480mb.xlsx': () => workbook(sheetOf({ text: `<row>${' '.repeat(64 * 1024)}</row>`, times: 7_500 })),
    'sheet-lying-size.xlsx': () => workbook(sheetOf({ text: '<row><c><v>1</v></c></row>'.repeat(40_000), times: 1_000 }), undefined, [], 10_000),
    // Declined by the streaming reader (a "d" cell), so SheetJS would read them: a big package, hyperlinks over the whole sheet.
    'fallback-300mb.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="d"><v>2026-01-01</v></c></row>' }, { text: `<row>${' '.repeat(MB)}</row>`, times: 300 })),
    'fallback-hyperlinks.xlsx': () => workbook(
      [{ text: `<?xml version="1.0"?><worksheet xmlns="${NS}" xmlns:r="${REL}"><sheetData>${HEADER_ROW}<row r="2"><c r="A2" t="d"><v>2026-01-01</v></c></row></sheetData><hyperlinks>` }, { text: '<hyperlink ref="A1:XFD1048576" r:id="rId1"/>', times: 2_000 }, { text: '</hyperlinks></worksheet>' }],
      undefined,
      [{ name: 'xl/worksheets/_rels/sheet1.xml.rels', pieces: [{ text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/hyperlink" Target="https://example.com/x" TargetMode="External"/></Relationships>` }] }],
    ),
    'fallback-nested.xlsx': () => workbook(sheetOf({ text: '<row r="2"><c r="A2" t="d"><v>2026-01-01</v></c></row><row r="3"><c r="A3" t="inlineStr"><is>' }, { text: '<r>'.repeat(8_000) }, { text: '</r>'.repeat(8_000) }, { text: '<t>x</t></is></c></row>' })),
    // A zip bomb: a worksheet of 3.5 GB of blanks inside a row, honestly declared.
    'zip-bomb.xlsx': () => workbook(sheetOf({ text: '<row r="2">' }, { text: ' '.repeat(MB), times: 3_500 }, { text: '</row>' })),
    // The same, declaring 1 kB in the zip headers.
    'zip-bomb-lying-size.xlsx': () => zipOf([{ name: 'xl/worksheets/sheet1.xml', pieces: sheetOf({ text: ' '.repeat(MB), times: 2_000 }), claimSize: 1024 }]),
    // Many rows, each small: a sheet that is long rather than wide.
    'rows-of-blanks.xlsx': () => workbook(sheetOf({ text: `<row>${' '.repeat(64 * 1024)}</row>`, times: 20_000 })),
    // Huge row and column counts declared: dimension, last cell, a merge over the whole sheet.
    'huge-declared-extent.xlsx': () => workbook([
      { text: `<?xml version="1.0"?><worksheet xmlns="${NS}"><dimension ref="A1:XFD1048576"/><sheetData>${HEADER_ROW}<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>` },
    ]),
    'huge-row-number.xlsx': () => workbook(sheetOf({ text: '<row r="999999999"><c r="A999999999"><v>1</v></c></row>' })),
    'wide-merge-only.xlsx': () => workbook([{ text: `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${HEADER_ROW}<row r="2"><c r="A2"><v>1</v></c><c r="B2"><v>2</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells></worksheet>` }]),
    'many-hyperlinks.xlsx': () => workbook(
      [{ text: `<?xml version="1.0"?><worksheet xmlns="${NS}" xmlns:r="${REL}"><sheetData>${HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>Link</t></is></c></row></sheetData><hyperlinks>` }, { text: '<hyperlink ref="A1:XFD1048576" r:id="rId1"/>', times: 2_000 }, { text: '</hyperlinks></worksheet>' }],
      undefined,
      [{ name: 'xl/worksheets/_rels/sheet1.xml.rels', pieces: [{ text: `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/hyperlink" Target="https://example.com/x" TargetMode="External"/></Relationships>` }] }],
    ),
  };
  const valid = workbook(sheetOf({ text: '<row r="2"><c r="A2" t="inlineStr"><is><t>Kettle</t></is></c><c r="B2"><v>3</v></c></row>' }));
  files['valid.xlsx'] = () => valid;
  // Broken zips: cut in the middle, the central directory overwritten, random bytes after the signature.
  files['broken-cut.xlsx'] = () => valid.subarray(0, Math.floor(valid.length / 2));
  const overwritten = Buffer.from(valid);
  overwritten.fill(0x41, overwritten.length - 60, overwritten.length - 22);
  files['broken-directory.xlsx'] = () => overwritten;
  files['broken-random.xlsx'] = () => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251))]);
  return files;
}

const ODS_CELLS = '<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>';
const ODF_NS = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"';

/** Formats SheetJS reads itself: a cell repeated over a whole sheet (.ods, flat ODS) and an HTML table of merges. */
export function hostileOtherFormats(): Record<string, () => Buffer> {
  const table = `<table:table table:name="Sheet1"><table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell></table:table-row>${ODS_CELLS}</table:table>`;
  return {
    'repeated-cells.ods': () =>
      zipOf([
        { name: 'mimetype', pieces: [{ text: 'application/vnd.oasis.opendocument.spreadsheet' }], stored: true },
        { name: 'content.xml', pieces: [{ text: `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${ODF_NS} office:version="1.2"><office:body><office:spreadsheet>${table}</office:spreadsheet></office:body></office:document-content>` }] },
        { name: 'styles.xml', pieces: [{ text: `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${ODF_NS} office:version="1.2"/>` }] },
        { name: 'META-INF/manifest.xml', pieces: [{ text: '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>' }] },
      ]),
    'repeated-cells.fods': () => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><office:document ${ODF_NS} office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet"><office:body><office:spreadsheet>${table}</office:spreadsheet></office:body></office:document>`),
    'merges.html': () => Buffer.from(`<html><body><table><tr><td>Name</td><td>Qty</td></tr>${'<tr><td colspan="2">x</td><td colspan="2">1</td></tr>'.repeat(30_000)}</table></body></html>`),
  };
}

export function writeHostileFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, make] of Object.entries({ ...hostileFiles(), ...hostileOtherFormats() })) {
    const path = join(dir, name);
    writeFileSync(path, make());
    out[name] = path;
  }
  return out;
}
