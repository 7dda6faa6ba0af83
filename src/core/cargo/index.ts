export * from './types';
export { detectWorkspaces } from './detect';
