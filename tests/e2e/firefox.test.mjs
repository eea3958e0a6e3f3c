// End-to-end tests in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi), with
// dist/firefox/ installed as a temporary add-on.
import { join } from 'node:path';
import { describe } from 'node:test';
import { FirefoxDriver } from './drivers.mjs';
import { ROOT } from './harness.mjs';
import { defineSecuritySuite } from './security.mjs';
import { defineSuite } from './suite.mjs';

function firefox() {
  return new FirefoxDriver(join(ROOT, 'dist', 'firefox'));
}

describe('Firefox', () => defineSuite(firefox));
describe('Firefox: page integrity and security', () => defineSecuritySuite(firefox));
