/**
 * The kinds of annotation, in the order the popup lists them. The names are the core's
 * (`Category::as_str` in src/kb/schema.rs).
 */
export const CATEGORIES = ['person', 'organisation', 'place', 'document', 'term', 'framing', 'names'] as const;

export type Category = (typeof CATEGORIES)[number];

export function isCategory(value: unknown): value is Category {
  return typeof value === 'string' && (CATEGORIES as readonly string[]).includes(value);
}

/**
 * Categories a site shows only when the reader switches them on: framing and sourcing markers
 * ("according to", unnamed sources, quotations checked against their source) are common on
 * every news page, and names the knowledge base lacks have no verified background to show;
 * readers ask for them rather than get them.
 */
export const OFF_BY_DEFAULT: readonly Category[] = ['framing', 'names'];

/** A value for every category. */
export type PerCategory<T> = Record<Category, T>;

export function perCategory<T>(make: (c: Category) => T): PerCategory<T> {
  const out = {} as PerCategory<T>;
  for (const c of CATEGORIES) out[c] = make(c);
  return out;
}
