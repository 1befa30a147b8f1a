import { describe, expect, it } from 'vitest';
import { emptyLineValues, type LineIssue, type LineValues } from './fields';
import { RULE_TEMPLATES } from './rule-templates';
import type { Rule, Scorable } from './rules';
import { compileRules, explainScore, previewRuleChange } from './scoring';

function line(values: Partial<LineValues>, issues: LineIssue[] = [], row?: number): Scorable & { row?: number } {
  return { values: { ...emptyLineValues(), ...values }, issues, row };
}

const rule = (over: Partial<Rule> & Pick<Rule, 'id' | 'action' | 'weight' | 'when'>): Rule => ({ name: over.id, type: 'product', enabled: true, scope: 'user', ...over });

describe('scoring', () => {
  it('starts at a neutral 50 when nothing fires', () => {
    const s = compileRules([]).score(line({ name: 'x' }));
    expect(s).toEqual({ score: 50, status: 'ok', fired: [] });
    expect(explainScore(s)).toBe('OK (score 50): no rule fired.');
  });

  it('adds preferences, subtracts warnings and blocks, and clamps to 0..100', () => {
    const rules = [
      rule({ id: 'p', action: 'prefer', weight: 4, when: { field: 'brand', op: 'equals', value: 'Bosch' } }),
      rule({ id: 'w', action: 'warn', weight: 2, when: { field: 'condition', op: 'equals', value: 'damaged' } }),
      rule({ id: 'b', action: 'block', weight: 8, when: { field: 'category', op: 'equals', value: 'weapons' } }),
    ];
    const c = compileRules(rules);
    expect(c.score(line({ brand: 'Bosch' }))).toMatchObject({ score: 70, status: 'ok' });
    expect(c.score(line({ brand: 'Bosch', condition: 'damaged' }))).toMatchObject({ score: 60, status: 'warning' });
    const blocked = c.score(line({ category: 'weapons', condition: 'damaged' }));
    expect(blocked).toMatchObject({ score: 0, status: 'blocked' });
    expect(blocked.fired.map((f) => [f.ruleId, f.effect])).toEqual([
      ['w', -10],
      ['b', -80],
    ]);
    expect(explainScore(blocked)).toBe('Blocked (score 0): warn “w” (condition is "damaged") −10; block “b” (category is "weapons") −80.');
    const many = compileRules([1, 2, 3].map((i) => rule({ id: `p${i}`, action: 'prefer', weight: 10, when: { field: 'name', op: 'missing' } })));
    expect(many.score(line({})).score).toBe(100);
  });

  it('ignores disabled rules', () => {
    const c = compileRules([rule({ id: 'x', action: 'block', weight: 10, enabled: false, when: { field: 'name', op: 'missing' } })]);
    expect(c.size).toBe(0);
    expect(c.score(line({})).status).toBe('ok');
  });

  it('scores the shipped templates sensibly', () => {
    const c = compileRules(RULE_TEMPLATES);
    expect(c.score(line({ category: 'hazardous', retail_price: 5 })).status).toBe('blocked');
    expect(c.score(line({ name: 'x' })).fired.map((f) => f.ruleId)).toEqual(['tpl-missing-price']);
    expect(c.score(line({ price_net: 1500 })).fired.map((f) => f.ruleId)).toEqual(['tpl-unit-price-budget']);
    expect(c.score(line({ brand: 'bosch', retail_price: 10 })).score).toBe(70);
    expect(c.score(line({ condition: 'salvage', retail_price: 10 })).status).toBe('warning');
    const invalidEan: LineIssue = { field: 'ean', kind: 'rejected', code: 'ean_checksum', message: 'x', raw: '1' };
    expect(c.score(line({ retail_price: 1 }, [invalidEan])).fired.map((f) => f.ruleId)).toEqual(['tpl-invalid-ean']);
  });
});

describe('rule-effect preview', () => {
  it('counts lines whose status would change before the rule is saved', () => {
    const lines = [
      line({ brand: 'Acme', retail_price: 10 }, [], 2),
      line({ brand: 'Acme', retail_price: 2000 }, [], 3),
      line({ brand: 'Bosch', retail_price: 10 }, [], 4),
      line({ brand: 'Acme', category: 'toys', retail_price: 10 }, [], 5),
    ];
    const current: Rule[] = [rule({ id: 'toys', action: 'warn', weight: 2, when: { field: 'category', op: 'equals', value: 'toys' } })];
    const proposed: Rule[] = [...current, rule({ id: 'acme', action: 'block', weight: 5, when: { field: 'brand', op: 'equals', value: 'acme' } })];
    const p = previewRuleChange(lines, current, proposed);
    expect(p.total).toBe(4);
    expect(p.changed).toBe(3);
    expect(p.before).toEqual({ ok: 3, warning: 1, blocked: 0 });
    expect(p.after).toEqual({ ok: 1, warning: 0, blocked: 3 });
    expect(p.transitions).toEqual(
      expect.arrayContaining([
        { from: 'ok', to: 'blocked', count: 2 },
        { from: 'warning', to: 'blocked', count: 1 },
      ]),
    );
    expect(p.sampleRows).toEqual([2, 3, 5]);
    expect(p.averageScoreAfter).toBeLessThan(p.averageScoreBefore);
  });

  it('reports a weight change that moves scores but no status', () => {
    const lines = [line({ brand: 'Bosch' })];
    const r = (weight: number) => [rule({ id: 'p', action: 'prefer', weight, when: { field: 'brand', op: 'equals', value: 'Bosch' } })];
    const p = previewRuleChange(lines, r(2), r(6));
    expect(p).toMatchObject({ changed: 0, scoreChanged: 1, averageScoreBefore: 60, averageScoreAfter: 80 });
  });
});
