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
