import { invalid } from './stripe.sandbox-objects';

/** Stripe's form-encoded parameters (parsed by qs) checked the way the API does. */
export type Params = Record<string, unknown>;

export function onlyKnown(params: Params, known: string[]): void {
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw invalid(`Received unknown parameter: ${key}`, { code: 'parameter_unknown', param: key });
  }
}

export function int(params: Params, name: string, required: true): number;
export function int(params: Params, name: string, required?: false): number | undefined;
export function int(params: Params, name: string, required = false): number | undefined {
  const v = params[name];
  if (v === undefined || v === '') {
    if (required) throw invalid(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
    return undefined;
  }
  if (typeof v !== 'string' || !/^\d+$/.test(v) || !Number.isSafeInteger(Number(v)))
    throw invalid(`Invalid integer: ${String(v)}`, { code: 'parameter_invalid_integer', param: name });
  return Number(v);
}

export function str(params: Params, name: string, required = false): string | undefined {
  const v = params[name];
  if (v === undefined || v === '') {
    if (required) throw invalid(`Missing required param: ${name}.`, { code: 'parameter_missing', param: name });
    return undefined;
  }
  if (typeof v !== 'string') throw invalid(`Invalid string: ${JSON.stringify(v)}`, { code: 'parameter_invalid_string', param: name });
  return v;
}

export function bool(params: Params, name: string): boolean | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === 'true' || v === 'false') return v === 'true';
  throw invalid(`Invalid boolean: ${String(v)}`, { code: 'parameter_invalid_boolean', param: name });
}

export function oneOf<T extends string>(params: Params, name: string, values: readonly T[]): T | undefined {
  const v = str(params, name);
  if (v !== undefined && !values.includes(v as T)) throw invalid(`Invalid ${name}: must be one of ${values.join(', ')}`, { param: name });
  return v as T | undefined;
}

export function metadata(params: Params): Record<string, string> | undefined {
  const v = params.metadata;
  if (v === undefined || v === '') return undefined;
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalid('Invalid object', { param: 'metadata' });
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(v)) {
    if (typeof value !== 'string') throw invalid(`Invalid metadata[${k}]: must be a string`, { param: `metadata[${k}]` });
    if (k.length > 40 || value.length > 500) throw invalid(`Metadata key or value too long: ${k}`, { param: `metadata[${k}]` });
    out[k] = value;
  }
  return out;
}

export function expand(params: Params): string[] {
  const v = params.expand;
  if (v === undefined) return [];
  const list = Array.isArray(v) ? v : typeof v === 'object' && v ? Object.values(v) : [v];
  return list.map(String);
}
