// Random damage to a text a parser reads: cut short, characters inserted or deleted, and for JSON
// one value replaced by any other JSON value (the shape a reader trusts, broken while the syntax
// stays valid).
import fc from 'fast-check';

export type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'replace-value'; nth: number; value: unknown };

/** Positions are fractions of the text's length, so one damage fits a text of any length. */
// Unbiased: fast-check's doubles cluster at the ends, where damage is the least varied.
const fraction = fc.noBias(fc.integer({ min: 0, max: 10_000 })).map((n) => n / 10_000);

export const textDamage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fraction,
    text: fc.oneof(
      fc.string({ minLength: 1, maxLength: 3 }),
      fc.constantFrom('"', '{', ']', ',', ':', '\n', '=', ' '),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 20 }) }),
);

export const jsonDamage: fc.Arbitrary<Damage> = fc.oneof(
  textDamage,
  fc.record({ kind: fc.constant('replace-value' as const), nth: fc.nat(), value: fc.jsonValue() }),
);

/** Where a damage falls in `text`, as a character index. */
export function damageOffset(damage: Exclude<Damage, { kind: 'replace-value' }>, text: string): number {
  return Math.min(text.length, Math.floor(damage.at * text.length));
}

export function applyDamage(text: string, damage: Damage): string {
  if (damage.kind === 'replace-value') {
    return JSON.stringify(replaceNthValue(JSON.parse(text), damage.nth, damage.value).json);
  }
  const at = damageOffset(damage, text);
  switch (damage.kind) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + damage.text + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + damage.length);
  }
}

/** `json` with its `nth` value (depth first, the whole document first, modulo their count) replaced. */
function replaceNthValue(json: unknown, nth: number, value: unknown): { json: unknown; left: number } {
  const total = countValues(json);
  return replaceAt(json, nth % total, value);
}

function countValues(json: unknown): number {
  if (json === null || typeof json !== 'object') return 1;
  return 1 + Object.values(json).reduce((sum: number, v) => sum + countValues(v), 0);
}

function replaceAt(json: unknown, n: number, value: unknown): { json: unknown; left: number } {
  if (n === 0) return { json: value, left: -1 };
  let left = n - 1;
  if (json === null || typeof json !== 'object') return { json, left };
  const copy: Record<string, unknown> | unknown[] = Array.isArray(json) ? [...json] : { ...json };
  for (const key of Object.keys(copy)) {
    if (left < 0) break;
    const result = replaceAt((copy as Record<string, unknown>)[key], left, value);
    // Not `copy[key] =`: for the key `__proto__` that would set the prototype.
    Object.defineProperty(copy, key, {
      value: result.json,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    left = result.left;
  }
  return { json: copy, left };
}
