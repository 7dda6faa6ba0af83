import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMMAND_IDS } from '../../src/commands/ids';
import { readPackageJson } from './helpers/packageJson';
import { REPO_ROOT } from './helpers/repo';

interface Walkthrough {
  id: string;
  title: string;
  steps: {
    id: string;
    title: string;
    description: string;
    media: { svg?: string; image?: string; markdown?: string; altText?: string };
    completionEvents?: string[];
  }[];
}

// The Getting Started walkthrough is package.json only: what VS Code needs to show it is checked here.
describe('walkthrough nixify.gettingStarted', () => {
  const pkg = readPackageJson() as ReturnType<typeof readPackageJson> & {
    name: string;
    publisher: string;
    contributes: { walkthroughs?: Walkthrough[] };
  };
  const walkthrough = pkg.contributes.walkthroughs?.find((w) => w.id === 'nixify.gettingStarted');

  it('is contributed, and nixify.openWalkthrough opens it by <publisher>.<name>#<id>', () => {
    assert.ok(walkthrough, 'no walkthrough nixify.gettingStarted in package.json');
    const source = fs.readFileSync(path.join(REPO_ROOT, 'src', 'commands', 'openWalkthrough.ts'), 'utf8');
    assert.ok(source.includes(`'${pkg.publisher}.${pkg.name}#${walkthrough.id}'`));
  });

  it('has the five steps in order, each with media that exists and alt text', () => {
    assert.ok(walkthrough);
    assert.deepEqual(
      walkthrough.steps.map((s) => s.id),
      ['checkNix', 'nixifyWorkspace', 'devShell', 'derivations', 'editFlake'],
    );
    for (const step of walkthrough.steps) {
      const file = step.media.svg ?? step.media.image ?? step.media.markdown ?? '';
      assert.ok(file.startsWith('media/walkthrough/'), `${step.id}: media ${file}`);
      assert.ok(fs.existsSync(path.join(REPO_ROOT, file)), `${step.id}: ${file} is missing`);
      assert.ok((step.media.altText ?? '').length > 10, `${step.id}: no alt text`);
      if (file.endsWith('.svg')) {
        assert.match(
          fs.readFileSync(path.join(REPO_ROOT, file), 'utf8'),
          /var\(--vscode-foreground/,
          `${file} ignores the theme`,
        );
        // The walkthrough's webview allows styles only with its nonce: <style> and style="" are dropped.
        const markup = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
        assert.doesNotMatch(markup, /<style|\sstyle=/, file);
      }
    }
  });

  it("links only to this extension's commands and the built-ins it names, and completes on them", () => {
    assert.ok(walkthrough);
    const builtIns = ['workbench.view.extension.nixify', 'workbench.action.quickOpen'];
    for (const step of walkthrough.steps) {
      const links = [...step.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1] ?? '');
      assert.equal(links.length, 1, `${step.id} should have one button`);
      for (const id of links) {
        assert.ok(
          (COMMAND_IDS as readonly string[]).includes(id) || builtIns.includes(id),
          `${step.id}: ${id}`,
        );
      }
      for (const event of step.completionEvents ?? []) {
        const [kind, target = ''] = event.split(':');
        if (kind === 'onCommand') assert.ok((COMMAND_IDS as readonly string[]).includes(target), event);
        if (kind === 'onView') {
          const views = Object.values(pkg.contributes.views)
            .flat()
            .map((v) => v.id);
          assert.ok(views.includes(target), event);
        }
      }
    }
    assert.deepEqual(walkthrough.steps[0]?.completionEvents, ['onCommand:nixify.checkHealth']);
  });
});
