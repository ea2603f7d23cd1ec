import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/** The window sizes every screen is captured and checked at. */
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1024, height: 700 },
] as const;
const SCHEMES = ['light', 'dark'] as const;

/**
 * Saves the window as it shows the screen now, in light and dark, at 1280×800 and
 * 1024×700, as test artifacts (`<name>-<scheme>-<width>.png`), and checks it
 * with axe-core against WCAG 2.2 AA in each scheme: zero violations. axe runs
 * at the smaller size only, where controls crowd most (its target-size rule)
 * and contrast is the same as at the larger. Leaves the page at its first
 * size, in the light scheme.
 */
export async function capture(page: Page, info: TestInfo, name: string): Promise<void> {
  for (const scheme of SCHEMES) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const size of SIZES) {
      await page.setViewportSize(size);
      await page.screenshot({ path: info.outputPath(`${name}-${scheme}-${String(size.width)}.png`) });
    }
    const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
    expect(violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), `axe on ${name}, ${scheme}`).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(SIZES[0]);
}
