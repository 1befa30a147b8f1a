import { describe, expect, it } from 'vitest';
import { decodeText, sniff, sniffDelimiter, zipEntryNames } from './sniff';
import { encryptedWorkbookBytes, plainZipBytes, workbookBytes } from '../../../test/helpers/pallet-fixtures';

describe('file sniffing', () => {
  it('recognises workbook containers by their directory', () => {
    const xlsx = workbookBytes([{ name: 'S', aoa: [['a', 'b']] }], 'xlsx');
    expect(sniff(xlsx)).toEqual({ kind: 'zip', format: 'xlsx' });
    expect(zipEntryNames(xlsx)).toContain('xl/workbook.xml');
    expect(sniff(workbookBytes([{ name: 'S', aoa: [['a', 'b']] }], 'ods'))).toEqual({ kind: 'zip', format: 'ods' });
    expect(sniff(workbookBytes([{ name: 'S', aoa: [['a', 'b']] }], 'biff8'))).toEqual({ kind: 'cfb' });
    expect(sniff(encryptedWorkbookBytes())).toEqual({ kind: 'cfb' });
  });

  it('rejects empty, truncated, non-spreadsheet and binary files with one sentence', () => {
    const xlsx = workbookBytes([{ name: 'S', aoa: [['a', 'b']] }], 'xlsx');
    expect(sniff(new Uint8Array())).toMatchObject({ kind: 'reject', reason: 'empty', message: 'The file is empty.' });
    expect(sniff(Buffer.from('  \r\n '))).toMatchObject({ kind: 'reject', reason: 'empty' });
    expect(sniff(xlsx.subarray(0, 200))).toMatchObject({ kind: 'reject', reason: 'corrupt' });
    expect(sniff(plainZipBytes())).toMatchObject({ kind: 'reject', message: 'The file is a ZIP archive, not a spreadsheet.' });
    expect(sniff(Buffer.from('%PDF-1.7\n...'))).toMatchObject({ kind: 'reject', message: 'The file is a PDF document, not a spreadsheet.' });
    expect(sniff(Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04]))).toMatchObject({ kind: 'reject', reason: 'not-spreadsheet' });
  });

  it('decodes UTF-8, UTF-16 and windows-1250 text', () => {
    expect(decodeText(Buffer.from('\ufeffŁódź;1', 'utf8'))).toBe('Łódź;1');
    expect(decodeText(Buffer.from('Łódź;1', 'utf8'))).toBe('Łódź;1');
    expect(decodeText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zażółć', 'utf16le')]))).toBe('Zażółć');
    expect(decodeText(Buffer.from([0xa3, 0xf3, 0x64, 0x9f]))).toBe('Łódź');
  });

  it('finds the CSV delimiter even when decimal commas outnumber it', () => {
    expect(sniffDelimiter('Nazwa;Cena;Brutto\nA;12,50;15,38\nB;1,00;1,23')).toBe(';');
    expect(sniffDelimiter('name,qty,price\n"Kettle, 1.7L",1,12.5\nDrill,2,30')).toBe(',');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3')).toBe('\t');
  });
});
