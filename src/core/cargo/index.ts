export * from './types';
export { brokenManifestsAbove, detectWorkspaces } from './detect';
