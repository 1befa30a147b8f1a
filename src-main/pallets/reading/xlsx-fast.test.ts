import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { CellValue } from '@shared/pallets/fields';
import type { ImportLimits } from '@shared/pallets/schemas';
import { fastBook, sheetJsBook, sheetJsReadOptions, type Book } from './spreadsheet-book';
import { DEFAULT_LIMITS } from './worker-protocol';
import { readXlsxFast, type FastReadOptions } from './xlsx-fast';

/*
 * The fast .xlsx reader must give exactly what the SheetJS path gives (values, extents, merges,
 * hyperlink addresses), so these tests read the same bytes with both and compare, on random
 * workbooks written by SheetJS and on hand-written packages in the shapes other writers produce.
 */

const LIMITS: ImportLimits = { ...DEFAULT_LIMITS };

function fastOptions(o: Partial<FastReadOptions> = {}): FastReadOptions {
  return { onlySheet: null, maxStoredRows: LIMITS.maxRows + 101, maxColumns: LIMITS.maxColumns, maxCellLength: LIMITS.maxCellLength, ...o };
}

async function fastOf(buf: Buffer, o: Partial<FastReadOptions> = {}): Promise<Book> {
  const { book, declined } = await readXlsxFast(buf, fastOptions(o));
  if (!book) throw new Error(`the fast reader declined: ${declined ?? ''}`);
  return fastBook(book);
}

const sheetJsOf = (buf: Buffer): Book => sheetJsBook(XLSX.read(buf, { ...sheetJsReadOptions(LIMITS.maxRows + 101, null), type: 'buffer' }), LIMITS);

/**
 * Everything a reader gives for a book. Trailing empty rows are dropped: SheetJS counts rows up to the
 * sheet's declared dimension, the fast reader up to the last row holding a value (both give the same
 * values; the importer skips empty rows).
 */
function dump(book: Book) {
  return book.sheets().map((s) => {
    const e = s.extent();
    const rows: CellValue[][] = [];
    for (let r = 0; r < e.rows; r++) rows.push(s.row(r, e.width));
    while (rows.length > 0 && (rows.at(-1) ?? []).every((v) => v === null)) rows.pop();
    const merges = [...s.merges()].sort((a, b) => a.s.r - b.s.r || a.s.c - b.s.c);
    return { name: s.name, hidden: s.hidden, width: e.width, rows, merges };
  });
}

// ---------------------------------------------------------------------------------------------
// Random workbooks written by SheetJS

const text = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.constantFrom('', ' lead', 'trail ', 'a & b', '<tag>', '"quoted"', "it's", 'line\r\nbreak', 'tab\there', 'Zażółć gęślą jaźń', 'Größe', '=SUM(A1)', 'Link', '_x0041_', '\u0001ctl'),
);
const number = fc.oneof(fc.integer({ min: -1e9, max: 1e12 }), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }));
const date = fc.date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true });
const cell = fc.oneof({ weight: 3, arbitrary: text }, { weight: 3, arbitrary: number }, { weight: 1, arbitrary: fc.boolean() }, { weight: 1, arbitrary: date }, { weight: 2, arbitrary: fc.constant(null) });
const aoaArb = fc.array(fc.array(cell, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 25 });

interface Extras {
  merges: [number, number, number, number][];
  links: [number, number][];
  formats: [number, number, string][];
  sst: boolean;
  hidden: boolean;
}

const extrasArb = fc.record({
  merges: fc.array(fc.tuple(fc.nat(24), fc.nat(7), fc.nat(2), fc.nat(2)), { maxLength: 3 }),
  links: fc.array(fc.tuple(fc.nat(24), fc.nat(7)), { maxLength: 4 }),
  formats: fc.array(fc.tuple(fc.nat(24), fc.nat(7), fc.constantFrom('0000000000000', '000', 'yyyy-mm-dd hh:mm', '0.00', 'dd.mm.yyyy', '@')), { maxLength: 6 }),
  sst: fc.boolean(),
  hidden: fc.boolean(),
});

function writeRandom(aoa: (CellValue | Date)[][], x: Extras): Buffer {
  const ws = XLSX.utils.aoa_to_sheet(aoa, { cellDates: true, dense: true });
  const data = ws['!data'] as (XLSX.CellObject[] | undefined)[];
  for (const [r, c, fmt] of x.formats) {
    const target = data[r]?.[c];
    if (target && target.t === 'n') target.z = fmt;
  }
  for (const [r, c] of x.links) {
    const target = data[r]?.[c];
    if (target && target.t === 's') target.l = { Target: `https://img.example.com/${r}/${c}.jpg` };
  }
  ws['!merges'] = x.merges.map(([r, c, h, w]) => ({ s: { r, c }, e: { r: r + h, c: c + w } }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, 'Manifest');
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['second', 1]]), 'Zweite & <Liste>');
  if (x.hidden) wb.Workbook = { Sheets: [{ Hidden: 0 }, { Hidden: 1 }] };
  return XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: x.sst, compression: true }) as Buffer;
}

// ---------------------------------------------------------------------------------------------
// Hand-written packages

type CfbApi = { utils: { cfb_new(o?: unknown): unknown; cfb_add(c: unknown, name: string, data: Buffer): void }; write(c: unknown, o: unknown): Buffer };

function zip(parts: Record<string, string>): Buffer {
  const cfb = XLSX.CFB as unknown as CfbApi;
  const c = cfb.utils.cfb_new({ root: 'R' });
  for (const [name, body] of Object.entries(parts)) cfb.utils.cfb_add(c, name, Buffer.from(body, 'utf8'));
  return cfb.write(c, { type: 'buffer', fileType: 'zip', compression: true });
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const RNS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function contentTypes(sheets: number): string {
  const overrides = Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${overrides}<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`;
}

/** A package in the prefixed style some .NET writers use (x: everywhere), 1904 dates, rich text. */
function prefixedPackage(sheet1: string, options: { date1904?: boolean; strict?: boolean; firstString?: string } = {}): Buffer {
  const officeDoc = options.strict ? 'http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument' : `${REL}/officeDocument`;
  return zip({
    '[Content_Types].xml': contentTypes(2),
    '_rels/.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${officeDoc}" Target="/xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `<?xml version="1.0"?><x:workbook xmlns:x="${NS}" xmlns:r="${RNS}"><x:workbookPr${options.date1904 ? ' date1904="1"' : ''}/><x:sheets><x:sheet name="Dane &amp; ceny" sheetId="1" r:id="rId1"/><x:sheet name="Ukryty" sheetId="2" state="hidden" r:id="rId2"/><x:sheet name="Wykres" sheetId="3" r:id="rId5"/></x:sheets></x:workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId5" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>`,
    'xl/styles.xml': `<?xml version="1.0"?><x:styleSheet xmlns:x="${NS}"><x:numFmts count="2"><x:numFmt numFmtId="164" formatCode="0000000000000"/><x:numFmt numFmtId="165" formatCode="dd/mm/yyyy\\ hh:mm"/></x:numFmts><x:cellStyleXfs count="1"><x:xf numFmtId="14"/></x:cellStyleXfs><x:cellXfs count="4"><x:xf numFmtId="0"/><x:xf numFmtId="14" applyNumberFormat="1"/><x:xf numFmtId="164" applyNumberFormat="1"/><x:xf numFmtId="165" applyNumberFormat="1"/></x:cellXfs></x:styleSheet>`,
    'xl/sharedStrings.xml': `<?xml version="1.0"?><x:sst xmlns:x="${NS}" count="4" uniqueCount="4">${options.firstString ?? '<x:si><x:t>Nazwa</x:t></x:si>'}<x:si><x:r><x:rPr><x:b/></x:rPr><x:t>Cena </x:t></x:r><x:r><x:t xml:space="preserve">netto</x:t></x:r><x:rPh sb="0" eb="1"><x:t>PHONETIC</x:t></x:rPh></x:si><x:si><x:t xml:space="preserve">  Ekspres &lt;DeLonghi&gt; &amp; młynek\r\n2w1 _x0041_ </x:t></x:si><x:si><x:t>Zdjęcie</x:t></x:si></x:sst>`,
    'xl/worksheets/sheet1.xml': sheet1,
    'xl/worksheets/_rels/sheet1.xml.rels': `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdL" Type="${REL}/hyperlink" Target="https://cdn.example.pl/img/ekspres-1.jpg?w=1&amp;h=2" TargetMode="External"/></Relationships>`,
    'xl/worksheets/sheet2.xml': `<?xml version="1.0"?><x:worksheet xmlns:x="${NS}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>hidden</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`,
    'xl/chartsheets/sheet1.xml': `<?xml version="1.0"?><x:chartsheet xmlns:x="${NS}"/>`,
  });
}

const SHEET1 = `<?xml version="1.0"?><x:worksheet xmlns:x="${NS}" xmlns:r="${RNS}"><x:dimension ref="A1:F6"/><x:cols><x:col min="1" max="6" width="12"/></x:cols><x:sheetData>
<x:row r="1" spans="1:6"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:r><x:t>EAN</x:t></x:r><x:r><x:rPr><x:i/></x:rPr><x:t>-13</x:t></x:r></x:is></x:c><x:c r="D1" t="s"><x:v>3</x:v></x:c><x:c r="E1" t="inlineStr"><x:is><x:t>Data</x:t></x:is></x:c><x:c r="F1" t="inlineStr"><x:is><x:t>OK?</x:t></x:is></x:c></x:row>
<x:row><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2" s="0"><x:v>1234.5</x:v></x:c><x:c r="C2" s="2"><x:v>5901234123457</x:v></x:c><x:c r="D2" t="s"><x:v>3</x:v></x:c><x:c r="E2" s="1"><x:v>46348</x:v></x:c><x:c r="F2" t="b"><x:v>1</x:v></x:c></x:row>
<x:row r="3"><x:c r="A3" t="str"><x:f>UPPER("a")</x:f><x:v>A &amp; B</x:v></x:c><x:c r="B3"><x:f>1/0</x:f></x:c><x:c r="C3" s="2"><x:v>123</x:v></x:c><x:c r="D3" t="e"><x:v>#N/A</x:v></x:c><x:c r="E3" s="3"><x:v>46348.5</x:v></x:c><x:c r="F3" t="b"><x:v>0</x:v></x:c></x:row>
<x:row r="4" spans="1:6"/>
<x:row r="6"><x:c r="A6" s="1"/><x:c r="B6" t="n"><x:v>-1.5E-3</x:v></x:c><x:c r="D6" t="s"><x:v>3</x:v></x:c></x:row>
</x:sheetData><x:mergeCells count="1"><x:mergeCell ref="A4:C4"/></x:mergeCells><x:hyperlinks><x:hyperlink ref="D2" r:id="rIdL"/><x:hyperlink ref="D6" location="Sheet2!A1"/></x:hyperlinks></x:worksheet>`;

describe('fast .xlsx reader', () => {
  it('reads random SheetJS-written workbooks exactly as the SheetJS path does', async () => {
    await fc.assert(
      fc.asyncProperty(aoaArb, extrasArb, async (aoa, extras) => {
        const buf = writeRandom(aoa, extras);
        expect(dump(await fastOf(buf))).toEqual(dump(sheetJsOf(buf)));
      }),
      // FAST_XLSX_RUNS=5000 for a deeper local search (then with a random seed).
      process.env.FAST_XLSX_RUNS ? { numRuns: Number(process.env.FAST_XLSX_RUNS) } : { numRuns: 150, seed: 20261122 },
    );
  });

  it('reads prefixed parts, cells without references, rich text, formulas, errors, 1904 dates and hyperlinks', async () => {
    for (const date1904 of [false, true]) {
      const buf = prefixedPackage(SHEET1, { date1904 });
      const fast = dump(await fastOf(buf));
      expect(fast).toEqual(dump(sheetJsOf(buf)));
      const [data, hidden, chart] = fast;
      expect(data?.name).toBe('Dane & ceny');
      expect(hidden).toMatchObject({ name: 'Ukryty', hidden: true, width: 1, rows: [['hidden']] });
      expect(chart).toMatchObject({ name: 'Wykres', width: 0, rows: [] });
      expect(data?.rows[0]).toEqual(['Nazwa', 'Cena netto', 'EAN-13', 'Zdjęcie', 'Data', 'OK?']);
      expect(data?.rows[1]).toEqual([
        '  Ekspres <DeLonghi> & młynek\n2w1 A ',
        1234.5,
        '5901234123457',
        'https://cdn.example.pl/img/ekspres-1.jpg?w=1&h=2',
        date1904 ? '2030-11-23' : '2026-11-22',
        true,
      ]);
      expect(data?.rows[2]).toEqual(['A & B', null, '0000000000123', null, date1904 ? '2030-11-23T12:00:00Z' : '2026-11-22T12:00:00Z', false]);
      expect(data?.rows[5]).toEqual([null, -0.0015, null, 'Zdjęcie', null, null]);
      expect(data?.merges).toEqual([{ s: { r: 3, c: 0 }, e: { r: 3, c: 2 } }]);
    }
  });

  it('reads only the sheet asked for, and reports parse progress up to the whole part', async () => {
    const progress: number[] = [];
    const book = await fastOf(prefixedPackage(SHEET1), { onlySheet: 'Ukryty', onProgress: (done, total) => progress.push(done / total) });
    expect(book.sheets().map((s) => [s.name, s.extent().rows])).toEqual([
      ['Dane & ceny', 0],
      ['Ukryty', 1],
      ['Wykres', 0],
    ]);
    expect(progress.at(-1)).toBe(1);
  });

  it('declines what it does not read (ISO date cells, CDATA, strict OOXML, an empty string item, a broken zip) so SheetJS reads it', async () => {
    const isoDate = SHEET1.replace('<x:c r="E2" s="1"><x:v>46348</x:v></x:c>', '<x:c r="E2" t="d"><x:v>2026-11-22T00:00:00Z</x:v></x:c>');
    const cdata = SHEET1.replace('<x:v>A &amp; B</x:v>', '<x:v><![CDATA[A & B]]></x:v>');
    const cases: [Buffer, RegExp][] = [
      [prefixedPackage(isoDate), /cell type d/],
      [prefixedPackage(cdata), /CDATA/],
      [prefixedPackage(SHEET1, { strict: true }), /transitional/],
      [prefixedPackage(SHEET1, { firstString: '<x:si/>' }), /unusual shared string item/],
      [prefixedPackage(SHEET1).subarray(0, 400), /./],
    ];
    for (const [buf, reason] of cases) {
      const { book, declined } = await readXlsxFast(buf, fastOptions());
      expect(book).toBeNull();
      expect(declined).toMatch(reason);
    }
  });

  it('keeps rows up to the limit and counts the rest; measures a sheet too wide; flags a cell too long', async () => {
    const aoa = Array.from({ length: 50 }, (_, r) => [`row ${r}`, r]);
    const limited = await fastOf(writeRandom(aoa, { merges: [], links: [], formats: [], sst: true, hidden: false }), { maxStoredRows: 20 });
    const sheet = limited.sheets()[0];
    expect(sheet?.extent()).toEqual({ rows: 20, fullRows: 50, width: 2 });
    expect(sheet?.row(19, 2)).toEqual(['row 19', 19]);

    const wide = await fastOf(writeRandom([[1, 2, 3, 4, 5, 6, 7, 8]], { merges: [], links: [], formats: [], sst: false, hidden: false }), { maxColumns: 5 });
    expect(wide.sheets()[0]?.extent().width).toBe(8);

    const long = await fastOf(writeRandom([['short', 'x'.repeat(40)]], { merges: [], links: [], formats: [], sst: true, hidden: false }), { maxCellLength: 30 });
    expect(long.sheets()[0]?.problem()).toBe('Cell B1 on sheet "Manifest" is longer than 30 characters.');
  });
});
