// GitHub's own workflow parser (@actions/workflow-parser, the one behind the Actions language
// service) for the generated workflows. It ships as ES modules that import its schema JSON without
// `with { type: 'json' }`, which a bundler accepts and Node refuses: a loader hook adds the attribute.
import { register } from 'node:module';

const JSON_IMPORTS_HOOK = `export async function load(url, context, nextLoad) {
  if (url.endsWith('.json') && context.importAttributes?.type === undefined) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;

let hooked = false;

export interface ParsedWorkflow {
  /** The parser's messages, e.g. "nix.yml (Line: 5, Col: 5): Unexpected value 'stepz'". */
  errors: string[];
  /** Job ids, in order, as GitHub reads them. */
  jobs: string[];
}

/** Parses and converts `content` as GitHub would, returning every error either step reports. */
export async function parseGitHubWorkflow(content: string): Promise<ParsedWorkflow> {
  if (!hooked) {
    register(`data:text/javascript,${encodeURIComponent(JSON_IMPORTS_HOOK)}`);
    hooked = true;
  }
  const parser = await import('@actions/workflow-parser');
  const parsed = parser.parseWorkflow({ name: 'nix.yml', content }, new parser.NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return { errors, jobs: [] };
  const template = await parser.convertWorkflowTemplate(parsed.context, parsed.value);
  // The conversion reports the parse errors again: each message once.
  return {
    errors: [...new Set([...errors, ...(template.errors ?? []).map((e) => e.Message)])],
    jobs: (template.jobs ?? []).map((job) => job.id.value),
  };
}
