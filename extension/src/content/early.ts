/**
 * The content script that runs at document start (manifest.json): it only asks the background
 * for this page's settings, so that the answer is there when the main script (main.ts, at
 * document idle) starts. It reads nothing of the page and sends no text. See early-settings.ts.
 */

import { askEarly } from './early-settings';

if (location.protocol === 'http:' || location.protocol === 'https:') askEarly();
