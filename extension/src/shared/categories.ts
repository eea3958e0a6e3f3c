/**
 * The five kinds of annotation, in the order the popup lists them. The names are the core's
 * (`Category::as_str` in src/kb/schema.rs).
 */
export const CATEGORIES = ['person', 'organisation', 'place', 'document', 'term'] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/** A value for every category. */
export type PerCategory<T> = Record<Category, T>;

export function perCategory<T>(make: (c: Category) => T): PerCategory<T> {
  const out = {} as PerCategory<T>;
  for (const c of CATEGORIES) out[c] = make(c);
  return out;
}
