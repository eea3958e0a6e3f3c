// End-to-end tests in Debian's Chromium (playwright-core), with dist/chrome/.
import { join } from 'node:path';
import { describe } from 'node:test';
import { ChromiumDriver } from './drivers.mjs';
import { ROOT } from './harness.mjs';
import { defineSecuritySuite } from './security.mjs';
import { defineSuite } from './suite.mjs';

function chromium() {
  return new ChromiumDriver(join(ROOT, 'dist', 'chrome'));
}

describe('Chromium', () => defineSuite(chromium));
describe('Chromium: page integrity and security', () => defineSecuritySuite(chromium));
