// Shared by the suites that run inside the real VS Code: reach the extension, walk its tree the way
// the view does (getChildren + getTreeItem), and wait for asynchronous refreshes.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { NixifyApi } from '../../src/api';

export const EXTENSION_ID = 'nixify.nixify';

export function extension(): vscode.Extension<NixifyApi> {
  const ext = vscode.extensions.getExtension<NixifyApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** Activates explicitly (a no-op when an activation event already did) and waits for first detection. */
export async function activeApi(): Promise<NixifyApi> {
  const api = await extension().activate();
  assert.ok(api, 'activate() returned no API');
  await api.ready;
  return api;
}

export interface Row {
  element: unknown;
  item: vscode.TreeItem;
  label: string;
  contextValue: string;
  description: string;
}

export async function rows(api: NixifyApi, parent?: unknown): Promise<Row[]> {
  const tree = api.crateTree;
  const children = (await tree.getChildren(parent)) ?? [];
  return Promise.all(
    children.map(async (element) => {
      const item = await tree.getTreeItem(element);
      const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
      const description = typeof item.description === 'string' ? item.description : '';
      return { element, item, label, contextValue: item.contextValue ?? '', description };
    }),
  );
}

/** Every row of the tree, depth first, with the labels of its ancestors. */
export async function allRows(
  api: NixifyApi,
  parent?: unknown,
  trail: string[] = [],
): Promise<(Row & { trail: string[] })[]> {
  const out: (Row & { trail: string[] })[] = [];
  for (const row of await rows(api, parent)) {
    out.push({ ...row, trail });
    if (row.item.collapsibleState !== vscode.TreeItemCollapsibleState.None) {
      out.push(...(await allRows(api, row.element, [...trail, row.label])));
    }
  }
  return out;
}

/** Crate names below a workspace row. */
export async function crateNames(api: NixifyApi, workspace: Row): Promise<string[]> {
  return (await rows(api, workspace.element))
    .filter((row) => row.contextValue === 'nixify.crate')
    .map((row) => row.label)
    .sort();
}

export const isWorkspaceRow = (row: Row): boolean => row.contextValue.startsWith('nixify.workspace');

/**
 * Polls until `check` returns a value (not undefined) or the deadline passes. Refreshes finish
 * asynchronously after a command returns; the deadline only bounds a hang, it asserts no speed.
 */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export function onlyFolder(): vscode.WorkspaceFolder {
  const folders = vscode.workspace.workspaceFolders ?? [];
  assert.equal(folders.length, 1, 'this suite expects exactly one workspace folder');
  const [folder] = folders;
  assert.ok(folder);
  return folder;
}
