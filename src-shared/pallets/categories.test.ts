import { describe, expect, it } from 'vitest';
import { createCategoryMatcher } from './categories';

const match = createCategoryMatcher();

describe('category synonyms', () => {
  it.each([
    ['Electronics', 'electronics'],
    ['Elektronika', 'electronics'],
    ['Unterhaltungselektronik', 'electronics'],
    ['Home & Kitchen', 'home'],
    ['Home & Kitchen > Small Appliances', 'small_appliances'],
    ['AGD drobne', 'small_appliances'],
    ['Haushaltsgeräte', 'home_appliances'],
    ['Zabawki', 'toys'],
    ['Toys & Games', 'toys'],
    ['Spielwaren', 'toys'],
    ['Narzędzia', 'tools'],
    ['Tools & Home Improvement', 'tools'],
    ['Sports & Outdoors', 'sports'],
    ['Sport & Freizeit', 'sports'],
    ['Clothing, Shoes & Jewelry', 'fashion'],
    ['Telefony', 'phones'],
    ['Elektronika/Telefony', 'phones'],
    ['Ogród', 'garden'],
    ['Hazmat', 'hazardous'],
    ['Gefahrgut', 'hazardous'],
    ['Zdrowie', 'health'],
  ])('%s → %s', (text, key) => {
    expect(match(text)).toEqual({ category: key, recognised: true });
  });

  it('does not match short words inside longer ones', () => {
    expect(match('Carton').recognised).toBe(false);
    expect(match('Pcs cases').recognised).toBe(false);
  });

  it('falls back to other, unrecognised', () => {
    expect(match('Zzyzx')).toEqual({ category: 'other', recognised: false });
    expect(match('constructor')).toEqual({ category: 'other', recognised: false });
  });

  it('takes the user\'s own synonyms', () => {
    const m = createCategoryMatcher([{ category: 'Drones', synonyms: ['drony', 'quadcopter'] }]);
    expect(m('Drony FPV')).toEqual({ category: 'drones', recognised: true });
    expect(m('Quadcopter')).toEqual({ category: 'drones', recognised: true });
  });
});
