// How the e2e test reads VS Code's workbench DOM. Kept in one place because these selectors are the
// part that changes between VS Code releases.
const SIDEBAR = '[id="workbench.parts.sidebar"]';
const ROW = `${SIDEBAR} .monaco-list-row`;

/** Clicks the Nixify entry of the activity bar and waits for the first tree row of its view. */
export async function openNixifyView(page) {
  const entry = page.locator('.activitybar [aria-label^="Nixify"]').first();
  await entry.waitFor({ timeout: 30_000 });
  await entry.click();
  await page
    .locator(`${SIDEBAR} .pane-header[aria-label^="Crates"], ${SIDEBAR} .title-label`)
    .first()
    .waitFor();
  await page.locator(ROW).first().waitFor({ timeout: 30_000 });
}

/**
 * Expands collapsed rows until none is left (children render lazily, so repeat). Clicks the twistie,
 * not the row: a row click may also run the item's command and open an editor.
 */
export async function expandAll(page) {
  for (let round = 0; round < 100; round++) {
    const collapsed = page.locator(`${ROW}[aria-expanded="false"]`);
    if ((await collapsed.count()) === 0) return;
    await collapsed.first().locator('.monaco-tl-twistie').click();
    await page.waitForTimeout(150);
  }
}

/** Label, description, nesting level and leafness of every row currently rendered in the side bar tree. */
export async function visibleRows(page) {
  return page.locator(ROW).evaluateAll((rows) =>
    rows.map((row) => ({
      label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
      description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      level: Number(row.getAttribute('aria-level') ?? 0),
      // Crate rows have no children; workspace and folder rows do (and may share a crate's name).
      leaf: !row.hasAttribute('aria-expanded'),
    })),
  );
}

/** Runs a command from the command palette by its full title, e.g. `Extensions: Show Installed Extensions`. */
export async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

/**
 * Opens an installed extension's page (icon, README, changelog) from the Extensions view. Returns the
 * frame the README renders in: a webview, two iframes down.
 */
export async function openExtensionPage(page, displayName) {
  await runCommand(page, 'Extensions: Show Installed Extensions');
  const row = page.locator('.extensions-viewlet .monaco-list-row', { hasText: displayName }).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page
    .locator('.extension-editor .header .name', { hasText: displayName })
    .waitFor({ timeout: 30_000 });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (
        (await frame
          .locator('body h1')
          .count()
          .catch(() => 0)) > 0
      )
        return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`the page of ${displayName} shows no README`);
}

/** Picks the row of the open quick pick whose label matches `label` (text or RegExp). */
export async function pickQuickItem(page, label) {
  const row = page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: label })
    .first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
}

/** Brings the editor tab named `name` to the front. */
export async function focusEditorTab(page, name) {
  await page.locator('.tabs-container .tab', { hasText: name }).first().click();
  await page.locator('.editor-instance .monaco-editor .view-line').first().waitFor();
}

/** Moves the cursor of the active editor to the end of line `line` (1-based), through Go to Line. */
export async function goToLineEnd(page, line) {
  const input = page.locator('.quick-input-widget input');
  // The quick input sometimes does not take text while it is still opening (seen once in CI, after a
  // save's notification): close it and open it again rather than fail the run.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+G');
    try {
      await input.waitFor({ timeout: 10_000 });
      await input.fill(`:${line}`, { timeout: 10_000 });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      await page.waitForTimeout(500);
    }
  }
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
}

/**
 * How many different colours the visible lines of the active editor use: the tokens a grammar
 * gives scopes to are painted with the theme's colours (classes mtk1, mtk2…).
 */
export async function distinctTokenColours(page) {
  return page
    .locator('.editor-instance .monaco-editor .view-lines')
    .first()
    .evaluate((lines) => {
      const colours = new Set();
      for (const span of lines.querySelectorAll('span[class*="mtk"]')) {
        colours.add(span.ownerDocument.defaultView.getComputedStyle(span).color);
      }
      return colours.size;
    });
}
