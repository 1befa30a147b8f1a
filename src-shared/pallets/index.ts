/** Pallet analysis engine (pure): mapping, normalisation, rules, scoring, valuation. */
export * from './fields';
export * from './text';
export * from './numbers';
export * from './ean';
export * from './condition';
export * from './categories';
export * from './header-vocab';
export * from './header-detect';
export * from './mapper';
export * from './normalise';
export * from './rules';
export * from './rule-templates';
export * from './scoring';
export * from './valuation';
export * from './schemas';
