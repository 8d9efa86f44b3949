import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, which the CI image installs. */
export const chromiumPath = '/usr/bin/chromium';

/** Launches headless Debian Chromium, quiet and offline apart from the app under test. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
