/**
 * Schema-constrained JSON. node-llama-cpp turns a JSON schema into a grammar, but the grammar allows
 * exponents (`8e466` parses to Infinity), ignores minimum/maximum and does not enforce string lengths
 * by bytes. So: reduce the schema to what the grammar understands, then after generation parse, check
 * every number is finite, clamp it into its bounds, cut strings at maxLength, and validate with zod. A
 * result that still does not validate is an error, never silently used.
 */
import { z } from 'zod';
import { AppError } from '@shared/contract/errors';

export type JsonSchema = Record<string, unknown>;

const GRAMMAR_STRING_FORMATS = new Set(['date-time', 'date', 'time']);
const IMMUTABLE_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unsupported(path: string, what: string): AppError {
  return new AppError('VALIDATION', `The JSON schema at ${path} uses ${what}, which constrained generation does not support.`);
}

/** A zod schema as JSON Schema (draft 2020-12); refuses constructs JSON cannot express. */
export function zodToJsonSchema(schema: z.ZodType): JsonSchema {
  try {
    return z.toJSONSchema(schema, { unrepresentable: 'throw', io: 'output' }) as JsonSchema;
  } catch (error) {
    throw new AppError('VALIDATION', `The schema cannot be expressed as JSON Schema: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A validator for a JSON Schema that arrived as data (IPC, CLI --json-schema). */
export function jsonSchemaToZod(schema: JsonSchema): z.ZodType {
  try {
    return z.fromJSONSchema(schema);
  } catch (error) {
    throw new AppError('VALIDATION', `The JSON schema is not valid: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The subset of a JSON schema that node-llama-cpp's grammar generator understands. */
export function toGrammarSchema(schema: unknown, path = '$'): JsonSchema {
  if (!isRecord(schema)) throw unsupported(path, 'a non-object schema');
  const out: JsonSchema = {};
  if (typeof schema.description === 'string') out.description = schema.description;
  if (isRecord(schema.$defs)) {
    out.$defs = Object.fromEntries(Object.entries(schema.$defs).map(([k, v]) => [k, toGrammarSchema(v, `${path}.$defs.${k}`)]));
  }
  if (typeof schema.$ref === 'string') {
    if (!schema.$ref.startsWith('#/$defs/')) throw unsupported(path, `the reference ${schema.$ref}`);
    return { ...out, $ref: schema.$ref };
  }
  if (Array.isArray(schema.enum)) return { ...out, enum: schema.enum };
  if ('const' in schema) return { ...out, const: schema.const };
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) return { ...out, oneOf: union.map((s, i) => toGrammarSchema(s, `${path}|${i}`)) };
  if (schema.allOf !== undefined || schema.not !== undefined || schema.if !== undefined) throw unsupported(path, 'allOf / not / if');
  const type = schema.type;
  if (Array.isArray(type)) {
    if (!type.every((t) => typeof t === 'string' && IMMUTABLE_TYPES.has(t))) throw unsupported(path, 'a type list with objects or arrays');
    return { ...out, type };
  }
  switch (type) {
    case 'string': {
      const s: JsonSchema = { ...out, type: 'string' };
      if (typeof schema.format === 'string' && GRAMMAR_STRING_FORMATS.has(schema.format)) return { ...s, format: schema.format };
      if (typeof schema.minLength === 'number') s.minLength = schema.minLength;
      if (typeof schema.maxLength === 'number') s.maxLength = schema.maxLength;
      return s;
    }
    case 'number':
    case 'integer':
    case 'boolean':
    case 'null':
      return { ...out, type };
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      const mapped = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toGrammarSchema(v, `${path}.${k}`)]));
      const additional = isRecord(schema.additionalProperties) ? toGrammarSchema(schema.additionalProperties, `${path}.*`) : false;
      if (Object.keys(mapped).length === 0 && additional === false) throw unsupported(path, 'an object without properties');
      return { ...out, type: 'object', properties: mapped, additionalProperties: additional };
    }
    case 'array': {
      const a: JsonSchema = { ...out, type: 'array' };
      if (schema.items !== undefined && schema.items !== true) a.items = toGrammarSchema(schema.items, `${path}[]`);
      else throw unsupported(path, 'an array without an item schema');
      if (Array.isArray(schema.prefixItems)) a.prefixItems = schema.prefixItems.map((s, i) => toGrammarSchema(s, `${path}[${i}]`));
      if (typeof schema.minItems === 'number') a.minItems = schema.minItems;
      if (typeof schema.maxItems === 'number') a.maxItems = schema.maxItems;
      return a;
    }
    default:
      throw unsupported(path, type === undefined ? 'a value without a type (give it a type or an enum)' : `the type ${JSON.stringify(type)}`);
  }
}

/** node-llama-cpp 3.x's optional exponent in its JSON number rule (GbnfNumber). */
const GBNF_NUMBER_EXPONENT = ' ([eE] [-+]? ("0" | [1-9] [0-9]{0,15}))?';

/** The grammar text with the exponent removed from number rules, so every generated number is finite. */
export function withoutNumberExponents(grammar: string): string {
  return grammar.split(GBNF_NUMBER_EXPONENT).join('');
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (typeof schema.$ref !== 'string') return schema;
  const name = schema.$ref.slice('#/$defs/'.length);
  const defs = isRecord(root.$defs) ? root.$defs : {};
  const target = defs[name];
  return isRecord(target) ? target : schema;
}

function matchesType(schema: JsonSchema, value: unknown): boolean {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (Array.isArray(schema.enum)) return schema.enum.includes(value);
  return types.some((t) =>
    (t === 'number' && typeof value === 'number') || (t === 'integer' && typeof value === 'number') ||
    (t === 'string' && typeof value === 'string') || (t === 'boolean' && typeof value === 'boolean') ||
    (t === 'null' && value === null) || (t === 'array' && Array.isArray(value)) || (t === 'object' && isRecord(value)));
}

/** Checks numbers are finite and clamps them into the schema's bounds (in place semantics, returns a copy). */
export function clampToSchema(value: unknown, schemaIn: JsonSchema, root: JsonSchema = schemaIn, path = '$'): unknown {
  const schema = resolveRef(schemaIn, root);
  const union = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(union)) {
    const branch = union.filter(isRecord).map((s) => resolveRef(s, root)).find((s) => matchesType(s, value));
    return branch ? clampToSchema(value, branch, root, path) : value;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new AppError('MODEL_ERROR', `The model produced a number at ${path} that is not finite.`);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const integer = types.includes('integer') && !types.includes('number');
    let v = integer ? Math.round(value) : value;
    const step = integer ? 1 : Number.EPSILON * Math.max(1, Math.abs(v));
    if (typeof schema.minimum === 'number') v = Math.max(v, schema.minimum);
    if (typeof schema.maximum === 'number') v = Math.min(v, schema.maximum);
    if (typeof schema.exclusiveMinimum === 'number' && v <= schema.exclusiveMinimum) v = schema.exclusiveMinimum + step;
    if (typeof schema.exclusiveMaximum === 'number' && v >= schema.exclusiveMaximum) v = schema.exclusiveMaximum - step;
    return v;
  }
  if (typeof value === 'string' && typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
    // The grammar counts an invalid UTF-8 sequence as one character where JS sees one U+FFFD per
    // byte, so a string can come out longer than maxLength: cut it (never inside a surrogate pair).
    let cut = '';
    for (const ch of value) {
      if (cut.length + ch.length > schema.maxLength) break;
      cut += ch;
    }
    return cut;
  }
  if (Array.isArray(value)) {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    return value.map((item, i) => {
      const itemSchema = prefix[i] ?? schema.items;
      return isRecord(itemSchema) ? clampToSchema(item, itemSchema, root, `${path}[${i}]`) : item;
    });
  }
  if (isRecord(value)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const additional = isRecord(schema.additionalProperties) ? schema.additionalProperties : null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      const propertySchema = properties[k] ?? additional;
      return [k, isRecord(propertySchema) ? clampToSchema(v, propertySchema, root, `${path}.${k}`) : v];
    }));
  }
  return value;
}

function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 3).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`).join('; ');
}

/** Parse → finite check + clamp → zod validation. Throws MODEL_ERROR when the output is unusable. */
export function finalizeStructured<T>(text: string, jsonSchema: JsonSchema, validator: z.ZodType<T>): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AppError('MODEL_ERROR', 'The model did not produce complete JSON (the output was cut off or malformed).');
  }
  const clamped = clampToSchema(parsed, jsonSchema);
  const result = validator.safeParse(clamped);
  if (!result.success) throw new AppError('MODEL_ERROR', `The model's JSON does not match the schema: ${describeIssues(result.error)}.`);
  return result.data;
}
