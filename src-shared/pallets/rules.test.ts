import { describe, expect, it } from 'vitest';
import { emptyLineValues, type LineIssue, type LineValues } from './fields';
import { RULE_TEMPLATES } from './rule-templates';
import { checkRegexSafety, compileCondition, describeCondition, type Condition, type Scorable } from './rules';
import { ConditionSchema, RuleDraftSchema, RuleSchema } from './schemas';

function line(values: Partial<LineValues>, issues: LineIssue[] = []): Scorable {
  return { values: { ...emptyLineValues(), ...values }, issues };
}

const test = (c: Condition, l: Scorable) => compileCondition(c)(l);

describe('rule conditions', () => {
  const kettle = line({ name: 'Czajnik elektryczny', brand: 'Philips', category: 'small_appliances', quantity: 3, price_net: 40, retail_price: 100, condition: 'used_good' });

  it('equals / in / contains compare text without case or accents', () => {
    expect(test({ field: 'brand', op: 'equals', value: 'PHILIPS' }, kettle)).toBe(true);
    expect(test({ field: 'name', op: 'contains', value: 'CZAJNIK' }, kettle)).toBe(true);
    expect(test({ field: 'name', op: 'contains', value: 'elektryczny' }, line({ name: 'Czajnik ELEKTRYCZNY' }))).toBe(true);
    expect(test({ field: 'name', op: 'contains', value: 'żelazko' }, line({ name: 'Zelazko parowe' }))).toBe(true);
    expect(test({ field: 'category', op: 'in', values: ['toys', 'small_appliances'] }, kettle)).toBe(true);
    expect(test({ field: 'quantity', op: 'in', values: [1, 3] }, kettle)).toBe(true);
    expect(test({ field: 'quantity', op: 'equals', value: 3 }, kettle)).toBe(true);
    expect(test({ field: 'brand', op: 'equals', value: 'Bosch' }, kettle)).toBe(false);
  });

  it('compares numbers, including between and virtual fields', () => {
    expect(test({ field: 'price_net', op: 'gt', value: 39.99 }, kettle)).toBe(true);
    expect(test({ field: 'price_net', op: 'gte', value: 40 }, kettle)).toBe(true);
    expect(test({ field: 'price_net', op: 'lt', value: 40 }, kettle)).toBe(false);
    expect(test({ field: 'price_net', op: 'lte', value: 40 }, kettle)).toBe(true);
    expect(test({ field: 'retail_price', op: 'between', min: 150, max: 50 }, kettle)).toBe(true);
    expect(test({ field: 'line_cost', op: 'equals', value: 120 }, kettle)).toBe(true);
    expect(test({ field: 'line_retail', op: 'gt', value: 299 }, kettle)).toBe(true);
    expect(test({ field: 'discount', op: 'equals', value: 60 }, kettle)).toBe(true);
    // A missing number never satisfies a comparison.
    expect(test({ field: 'price_gross', op: 'lt', value: 1e9 }, kettle)).toBe(false);
  });

  it('equals compares numbers by value and texts by their digits, as in does', () => {
    const coded = line({ sku: '123', price_net: 1.5, quantity: 2 });
    expect(test({ field: 'sku', op: 'equals', value: 123 }, coded)).toBe(true);
    expect(test({ field: 'sku', op: 'in', values: [123] }, coded)).toBe(true);
    expect(test({ field: 'price_net', op: 'equals', value: '1.50' }, coded)).toBe(true);
    expect(test({ field: 'price_net', op: 'equals', value: '1,5' }, coded)).toBe(true);
    expect(test({ field: 'price_net', op: 'equals', value: '1.51' }, coded)).toBe(false);
    expect(test({ field: 'quantity', op: 'equals', value: 2 }, coded)).toBe(true);
    expect(test({ field: 'sku', op: 'equals', value: 12 }, coded)).toBe(false);
  });

  it('missing covers empty values, unknown condition and empty issue lists', () => {
    expect(test({ field: 'ean', op: 'missing' }, kettle)).toBe(true);
    expect(test({ field: 'brand', op: 'missing' }, kettle)).toBe(false);
    expect(test({ field: 'condition', op: 'missing' }, line({}))).toBe(true);
    expect(test({ field: 'issues', op: 'missing' }, kettle)).toBe(true);
  });

  it('sees rejected cells through ean_status and issues', () => {
    const bad = line({}, [{ field: 'ean', kind: 'rejected', code: 'ean_checksum', message: 'x', raw: '123' }]);
    expect(test({ field: 'ean_status', op: 'equals', value: 'invalid' }, bad)).toBe(true);
    expect(test({ field: 'ean_status', op: 'equals', value: 'missing' }, kettle)).toBe(true);
    expect(test({ field: 'issues', op: 'contains', value: 'ean' }, bad)).toBe(true);
    expect(test({ field: 'issues', op: 'in', values: ['price_net', 'ean'] }, bad)).toBe(true);
  });

  it('nests all / any / not', () => {
    const c: Condition = { all: [{ field: 'brand', op: 'in', values: ['Philips', 'Bosch'] }, { any: [{ field: 'condition', op: 'equals', value: 'new' }, { not: { field: 'price_net', op: 'gt', value: 50 } }] }] };
    expect(test(c, kettle)).toBe(true);
    expect(test(c, line({ ...kettle.values, price_net: 60 }))).toBe(false);
    expect(describeCondition(c)).toBe('(brand is one of [Philips, Bosch] and (condition is "new" or not price_net > 50))');
  });

  it('matches bounded regular expressions', () => {
    expect(test({ field: 'name', op: 'matches', pattern: '^czajnik\\b', flags: 'i' }, kettle)).toBe(true);
    expect(test({ field: 'sku', op: 'matches', pattern: 'x' }, kettle)).toBe(false);
  });
});

describe('regex guard', () => {
  it.each([
    ['(a)\\1', /back-references are not supported/],
    ['(?<=a)b', /look-arounds/],
    ['(?=a)b', /look-arounds/],
    ['(', /not a valid/],
    ['x{1001}', /not a valid/],
    ['x'.repeat(201), /longer than 200/],
    ['', /empty/],
  ])('rejects %s', (pattern, message) => {
    expect(checkRegexSafety(pattern)).toMatch(message);
  });

  it('rejects stateful or unknown flags', () => {
    expect(checkRegexSafety('a', 'g')).toMatch(/flags/);
    expect(checkRegexSafety('a', 'y')).toMatch(/flags/);
    expect(checkRegexSafety('a', 'ii')).toMatch(/flags/);
  });

  it.each(['^B0[0-9A-Z]{8}$', 'iphone|ipad', '\\d{3}-\\d{2}', 'sams(u|o)ng', '(?:pro|max)\\b', '[a-z]+ [0-9]+', '(?<year>20\\d\\d)', '(a+)+$', '.*.*.*='])('accepts %s', (pattern) => {
    expect(checkRegexSafety(pattern, 'i')).toBeNull();
  });

  it('honours the flags i, m and s and reads named groups and Unicode', () => {
    expect(test({ field: 'name', op: 'matches', pattern: 'ZĄB' }, line({ name: 'ząb' }))).toBe(false);
    expect(test({ field: 'name', op: 'matches', pattern: 'ZĄB', flags: 'i' }, line({ name: 'ząb' }))).toBe(true);
    expect(test({ field: 'name', op: 'matches', pattern: '^b$', flags: 'm' }, line({ name: 'a\nb' }))).toBe(true);
    expect(test({ field: 'name', op: 'matches', pattern: '^b$' }, line({ name: 'a\nb' }))).toBe(false);
    expect(test({ field: 'name', op: 'matches', pattern: 'a.b', flags: 's' }, line({ name: 'a\nb' }))).toBe(true);
    expect(test({ field: 'name', op: 'matches', pattern: '(?<year>20\\d\\d)' }, line({ name: 'model 2024' }))).toBe(true);
  });

  // Patterns that backtrack for seconds, even minutes, in JavaScript's own engine on these subjects
  // (exponentially for the first two). Matched in linear time they answer at once: with backtracking
  // this test would not finish within its timeout.
  it.each([
    ['(a+)+$', `${'a'.repeat(499)}!`],
    ['(a|aa){1,25}$', `${'a'.repeat(499)}!`],
    ['.*.*.*=', 'x'.repeat(500)],
    ['[a-z]+[a-z]+[a-z]+$', `${'a'.repeat(499)}!`],
  ])('answers %s on a hostile subject without backtracking', (pattern, subject) => {
    for (let i = 0; i < 20; i++) expect(test({ field: 'name', op: 'matches', pattern }, line({ name: subject }))).toBe(false);
  });
});

describe('rule schemas', () => {
  it('accepts every shipped template', () => {
    for (const t of RULE_TEMPLATES) expect(RuleSchema.safeParse(t).success).toBe(true);
  });

  it('rejects unsafe regexes, bad weights and unknown fields with readable messages', () => {
    const base = { name: 'r', type: 'product', action: 'warn', weight: 5, enabled: true };
    const unsafe = RuleDraftSchema.safeParse({ ...base, when: { any: [{ field: 'name', op: 'matches', pattern: '(?=a)b' }] } });
    expect(unsafe.success).toBe(false);
    expect(unsafe.error?.issues[0]?.message).toMatch(/look-arounds/);
    expect(RuleDraftSchema.safeParse({ ...base, weight: 11, when: { field: 'name', op: 'missing' } }).success).toBe(false);
    expect(RuleDraftSchema.safeParse({ ...base, weight: 0, when: { field: 'name', op: 'missing' } }).success).toBe(false);
    expect(RuleDraftSchema.safeParse({ ...base, when: { field: '__proto__', op: 'missing' } }).success).toBe(false);
    expect(RuleDraftSchema.safeParse({ ...base, when: { field: 'name', op: 'eval', value: 'x' } }).success).toBe(false);
  });

  it('limits nesting depth', () => {
    let c: Condition = { field: 'name', op: 'missing' };
    for (let i = 0; i < 7; i++) c = { all: [c] };
    expect(ConditionSchema.safeParse(c).success).toBe(true);
    const r = RuleDraftSchema.safeParse({ name: 'deep', type: 'quality', action: 'warn', weight: 1, enabled: true, when: c });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toMatch(/nest at most/);
  });
});
