/**
 * Where a tooltip goes: below the term if it fits, else above, else on the roomier side with
 * its height limited; always inside the viewport and never over the term. Pure, so it is
 * tested without a browser. All values are CSS pixels in viewport coordinates.
 */

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface Placement {
  left: number;
  top: number;
  /** Height the tooltip may take; it scrolls inside when its content is taller. */
  maxHeight: number;
  maxWidth: number;
  side: 'below' | 'above';
}

/** Space kept between the tooltip and the viewport's edges. */
export const MARGIN = 8;
/** Space between the term and the tooltip. */
export const GAP = 6;

/**
 * `align`: which edge of the tooltip lines up with the same edge of the term, `left` on
 * left-to-right pages, `right` on right-to-left ones (where text, and the eye, start at the right).
 */
export function placeTooltip(
  anchor: Box,
  size: { width: number; height: number },
  viewport: { width: number; height: number },
  align: 'left' | 'right' = 'left',
): Placement {
  const maxWidth = Math.max(0, viewport.width - 2 * MARGIN);
  const width = Math.min(size.width, maxWidth);
  const below = viewport.height - MARGIN - (anchor.bottom + GAP);
  const above = anchor.top - GAP - MARGIN;
  let side: 'below' | 'above';
  let maxHeight: number;
  if (size.height <= below) {
    side = 'below';
    maxHeight = below;
  } else if (size.height <= above) {
    side = 'above';
    maxHeight = above;
  } else {
    side = below >= above ? 'below' : 'above';
    maxHeight = Math.max(0, side === 'below' ? below : above);
  }
  const height = Math.min(size.height, maxHeight);
  const top = side === 'below' ? anchor.bottom + GAP : anchor.top - GAP - height;
  const wanted = align === 'left' ? anchor.left : anchor.right - width;
  const left = Math.min(Math.max(wanted, MARGIN), Math.max(MARGIN, viewport.width - MARGIN - width));
  return { left, top, maxHeight, maxWidth, side };
}
